package io.whatap.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Whatap;
import io.whatap.testing.HttpClientConformanceTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client suite for {@code Whatap.httpClient(HttpClient)}, send and sendAsync. */
class JdkHttpClientTest extends HttpClientConformanceTest {
  private HttpClient plain;
  private HttpClient traced;

  @Override
  protected String driver() {
    return "java.net.http";
  }

  @Override
  protected void startClient() {
    plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    traced = Whatap.httpClient(plain);
  }

  @Override
  protected void stopClient() { }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build();
  }

  @Override
  protected int call(String url) throws Exception {
    return traced.send(get(url), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  protected int callUntraced(String url) throws Exception {
    return plain.send(get(url), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  protected CompletableFuture<Integer> callAsync(String url) {
    return traced.sendAsync(get(url), HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::statusCode);
  }

  @Test
  void wrappingTwiceReturnsTheTracedClientAndTheSettingsAreTheWrappedOnes() {
    assertThat(Whatap.httpClient(traced)).isSameAs(traced);
    assertThat(traced.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(traced.connectTimeout()).contains(WAIT);
    assertThat(traced.followRedirects()).isEqualTo(plain.followRedirects());
  }
}
