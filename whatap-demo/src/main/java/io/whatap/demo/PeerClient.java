package io.whatap.demo;

import io.whatap.Whatap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * How an app's /checkout calls the next app: a real HTTP client, traced the way an application
 * traces it (a TX_HTTPC step and the multi-transaction headers, so the callee links back). Most
 * apps use {@link #jdk()}; the Vert.x app uses the Vert.x client ({@code VertxDemoServer}).
 */
public interface PeerClient extends AutoCloseable {
  /** GETs {@code url} and returns the response's status; a call that fails throws. */
  int get(String url) throws IOException, InterruptedException;

  @Override
  default void close() {
  }

  /** {@code java.net.http.HttpClient} traced by {@code Whatap.httpClient(client)} (whatap-api). */
  static PeerClient jdk() {
    HttpClient client = Whatap.httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build());
    return url -> client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
