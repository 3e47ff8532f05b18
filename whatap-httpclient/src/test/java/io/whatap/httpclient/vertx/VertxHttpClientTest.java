package io.whatap.httpclient.vertx;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.whatap.testing.HttpClientConformanceTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The client suite for Vert.x's {@code HttpClient} through {@code WhatapVertxClient.trace}; the
 * futures complete on Vert.x's event loop. Runs on 4.5 and, with {@code -Pvertx5}, on 5.
 */
class VertxHttpClientTest extends HttpClientConformanceTest {
  protected Vertx vertx;
  private HttpClient plain;
  private HttpClient traced;

  @Override
  protected String driver() {
    return "vertx-httpclient";
  }

  @Override
  protected void startClient() {
    vertx = Vertx.vertx();
    plain = vertx.createHttpClient();
    traced = WhatapVertxClient.trace(vertx.createHttpClient());
  }

  @Override
  protected void stopClient() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** GET {@code url} with {@code client}; the status once the body has been read. */
  protected Future<Integer> get(HttpClient client, String url) {
    Future<HttpClientRequest> created = client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url));
    return created.compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  protected HttpClient tracedClient() {
    return traced;
  }

  /** As {@link #get} with {@code traced}, for the variants of the suite. */
  protected Future<Integer> tracedGet(String url) {
    return get(traced, url);
  }

  private static int await(Future<Integer> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Override
  protected int call(String url) throws Exception {
    return await(tracedGet(url));
  }

  @Override
  protected int callUntraced(String url) throws Exception {
    return await(get(plain, url));
  }

  @Override
  protected CompletableFuture<Integer> callAsync(String url) {
    return tracedGet(url).toCompletionStage().toCompletableFuture();
  }
}
