package io.whatap.httpclient.apache;

import io.whatap.testing.HttpClientConformanceTest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;

/** The client suite for Apache HttpClient 5 classic; its "async" is a call on another pool thread. */
class ApacheClassicTest extends HttpClientConformanceTest {
  private CloseableHttpClient plain;
  private CloseableHttpClient traced;
  private ExecutorService pool;

  @Override
  protected String driver() {
    return "apache-httpclient5";
  }

  @Override
  protected void startClient() {
    plain = HttpClients.custom().disableAutomaticRetries().build();
    traced = WhatapHttpClient5.trace(HttpClients.custom().disableAutomaticRetries()).build();
    pool = Executors.newSingleThreadExecutor();
  }

  @Override
  protected void stopClient() throws Exception {
    plain.close();
    traced.close();
    pool.shutdownNow();
  }

  private static int get(CloseableHttpClient client, String url) throws Exception {
    return client.execute(new HttpGet(url), response -> {
      EntityUtils.consume(response.getEntity());
      return response.getCode();
    });
  }

  @Override
  protected int call(String url) throws Exception {
    return get(traced, url);
  }

  @Override
  protected int callUntraced(String url) throws Exception {
    return get(plain, url);
  }

  /**
   * The classic client blocks its caller: an application calls it asynchronously by handing the
   * call, with its transaction ({@code Whatap.wrap}), to a pool thread.
   */
  @Override
  protected CompletableFuture<Integer> callAsync(String url) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    pool.execute(io.whatap.Whatap.wrap((Runnable) () -> {
      try {
        f.complete(get(traced, url));
      } catch (Exception e) {
        f.completeExceptionally(e);
      }
    }));
    return f;
  }
}
