package io.whatap.httpclient.okhttp;

import io.whatap.testing.HttpClientConformanceTest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/** The client suite for OkHttp through {@code WhatapOkHttp.callFactory}: execute() and enqueue(). */
class OkHttpTest extends HttpClientConformanceTest {
  private OkHttpClient plain;
  private Call.Factory traced;

  @Override
  protected String driver() {
    return "okhttp";
  }

  @Override
  protected void startClient() {
    plain = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    traced = WhatapOkHttp.callFactory(plain);
  }

  @Override
  protected void stopClient() {
    plain.dispatcher().executorService().shutdownNow();
    plain.connectionPool().evictAll();
  }

  private static int execute(Call.Factory calls, String url) throws IOException {
    try (Response r = calls.newCall(new Request.Builder().url(url).build()).execute()) {
      return r.code();
    }
  }

  @Override
  protected int call(String url) throws Exception {
    return execute(traced, url);
  }

  @Override
  protected int callUntraced(String url) throws Exception {
    return execute(plain, url);
  }

  @Override
  protected CompletableFuture<Integer> callAsync(String url) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    traced.newCall(new Request.Builder().url(url).build()).enqueue(new Callback() {
      @Override
      public void onResponse(Call call, Response response) {
        try (response) {
          f.complete(response.code());
        }
      }

      @Override
      public void onFailure(Call call, IOException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }
}
