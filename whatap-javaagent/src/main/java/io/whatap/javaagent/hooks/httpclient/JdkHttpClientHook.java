package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.jdkhttp.TracedHttpClient;
import java.net.http.HttpClient;

/**
 * {@code java.net.http}: every client the JDK builds ({@code HttpClient.newHttpClient()},
 * {@code HttpClient.newBuilder().build()}) is handed to the application wrapped in whatap-api's
 * {@link TracedHttpClient}, the client {@code Whatap.httpClient(client)} returns in library mode:
 * one implementation of send/sendAsync for both ways in. JDK-only, so it lives in the agent's own
 * loader (no adapter loader is needed).
 */
final class JdkHttpClientHook implements Hook {
  static final JdkHttpClientHook INSTANCE = new JdkHttpClientHook();

  @Override
  public Object enter(Object self, Object client, Object unused) {
    return client instanceof HttpClient ? TracedHttpClient.wrap((HttpClient) client) : null;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // nothing: the traced client records each call itself
  }
}
