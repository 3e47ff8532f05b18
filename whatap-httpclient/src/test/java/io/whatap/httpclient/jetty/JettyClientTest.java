package io.whatap.httpclient.jetty;

import io.whatap.testing.HttpClientConformanceTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/**
 * The client suite for Jetty HttpClient 12 through {@link WhatapJettyHttpClient}: {@code send()}
 * and {@code send(listener)}, whose listener runs on Jetty's thread.
 */
class JettyClientTest extends HttpClientConformanceTest {
  private HttpClient plain;
  private HttpClient traced;

  @Override
  protected String driver() {
    return "jetty-httpclient";
  }

  /** The traced client under test. */
  protected HttpClient newTracedClient() {
    return new WhatapJettyHttpClient();
  }

  /** A request of the traced client, traced the way the README says for this variant. */
  protected Request request(HttpClient client, String url) {
    return client.newRequest(url);
  }

  @Override
  protected void startClient() throws Exception {
    plain = new HttpClient();
    traced = newTracedClient();
    plain.start();
    traced.start();
  }

  @Override
  protected void stopClient() throws Exception {
    plain.stop();
    traced.stop();
  }

  @Override
  protected int call(String url) throws Exception {
    return request(traced, url).send().getStatus();
  }

  @Override
  protected int callUntraced(String url) throws Exception {
    return plain.newRequest(url).send().getStatus();
  }

  @Override
  protected CompletableFuture<Integer> callAsync(String url) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    request(traced, url).send(result -> {
      if (result.isFailed()) {
        f.completeExceptionally(result.getFailure());
      } else {
        f.complete(result.getResponse().getStatus());
      }
    });
    return f;
  }

  /** {@code send()} wraps the failure in an ExecutionException; the hook records Jetty's own. */
  @Override
  protected Throwable rootOfFailure(Throwable seen) {
    return seen instanceof ExecutionException && seen.getCause() != null ? seen.getCause() : seen;
  }
}
