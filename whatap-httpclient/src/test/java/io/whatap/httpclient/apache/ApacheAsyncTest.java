package io.whatap.httpclient.apache;

import io.whatap.testing.HttpClientConformanceTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.io.CloseMode;

/** The client suite for Apache HttpClient 5 async (the completion runs on its I/O reactor thread). */
class ApacheAsyncTest extends HttpClientConformanceTest {
  private CloseableHttpAsyncClient plain;
  private CloseableHttpAsyncClient traced;

  @Override
  protected String driver() {
    return "apache-httpclient5";
  }

  @Override
  protected void startClient() {
    plain = HttpAsyncClients.custom().disableAutomaticRetries().build();
    traced = WhatapHttpClient5.trace(HttpAsyncClients.custom().disableAutomaticRetries()).build();
    plain.start();
    traced.start();
  }

  @Override
  protected void stopClient() throws Exception {
    plain.close(CloseMode.IMMEDIATE);
    traced.close(CloseMode.IMMEDIATE);
  }

  private static CompletableFuture<Integer> send(CloseableHttpAsyncClient client, String url) {
    SimpleHttpRequest request = SimpleRequestBuilder.get(url).build();
    CompletableFuture<Integer> f = new CompletableFuture<>();
    client.execute(request, new FutureCallback<SimpleHttpResponse>() {
      @Override
      public void completed(SimpleHttpResponse result) {
        f.complete(result.getCode());
      }

      @Override
      public void failed(Exception ex) {
        f.completeExceptionally(ex);
      }

      @Override
      public void cancelled() {
        f.cancel(false);
      }
    });
    return f;
  }

  private static int await(CompletableFuture<Integer> f) throws Exception {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Override
  protected int call(String url) throws Exception {
    return await(send(traced, url));
  }

  @Override
  protected int callUntraced(String url) throws Exception {
    return await(send(plain, url));
  }

  @Override
  protected CompletableFuture<Integer> callAsync(String url) {
    return send(traced, url);
  }
}
