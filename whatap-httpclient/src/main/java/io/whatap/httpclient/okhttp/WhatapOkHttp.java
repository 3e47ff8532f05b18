package io.whatap.httpclient.okhttp;

import io.whatap.http.HeaderSetter;
import io.whatap.http.HttpClientCall;
import io.whatap.spi.HttpClientTracing;
import java.io.IOException;
import okhttp3.Call;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp 4 and 5. {@code Call.Factory calls = WhatapOkHttp.callFactory(client)} traces
 * {@code execute()} and {@code enqueue()} alike: {@code newCall} runs on the application's thread,
 * where its transaction is current, so it starts the step and adds the headers there and tags the
 * request with the call; the interceptor this adds to the client ends it on whatever thread
 * OkHttp's dispatcher runs it. Code that only uses {@code execute()} may instead add
 * {@link #interceptor()} to its builder ({@code addInterceptor}), which starts the step itself on
 * the calling thread (an {@code enqueue()}d call has no transaction there and goes untraced).
 */
public final class WhatapOkHttp {
  static final String DRIVER = "okhttp";
  private static final HeaderSetter<Request.Builder> SET_HEADER = Request.Builder::header;

  private WhatapOkHttp() { }

  /**
   * The application interceptor; add it with {@code OkHttpClient.Builder.addInterceptor}. Under the
   * javaagent (this copy bundled by the application) it passes calls through: the javaagent records them.
   */
  public static Interceptor interceptor() {
    return TracingInterceptor.INSTANCE;
  }

  /** A {@code Call.Factory} over {@code client} (plus the interceptor) that traces every call it makes. */
  public static Call.Factory callFactory(OkHttpClient client) {
    if (HttpClientTracing.javaagentRecords()) {
      return client; // the javaagent's hook on OkHttpClient already traces every call of every client
    }
    boolean has = client.interceptors().contains(TracingInterceptor.INSTANCE);
    OkHttpClient traced = has ? client : client.newBuilder().addInterceptor(TracingInterceptor.INSTANCE).build();
    return new TracingCallFactory(traced);
  }

  private static final class TracingCallFactory implements Call.Factory {
    private final OkHttpClient client;

    TracingCallFactory(OkHttpClient client) {
      this.client = client;
    }

    @Override
    public Call newCall(Request request) {
      Request traced = startCall(request);
      return client.newCall(traced == null ? request : traced);
    }
  }

  /**
   * Starts the call of {@code request} for the current transaction: returns a copy carrying the
   * headers and the call as its tag (which the interceptor ends), or null when no transaction is
   * current. Also what the javaagent's hook on {@code OkHttpClient.newCall} runs.
   */
  static Request startCall(Request request) {
    HttpClientCall call = HttpClientTracing.start(DRIVER, request.url().toString());
    if (call == null) {
      return null;
    }
    Request.Builder b = request.newBuilder();
    call.inject(SET_HEADER, b);
    return b.tag(HttpClientCall.class, call).build();
  }

  private static final class TracingInterceptor implements Interceptor {
    static final TracingInterceptor INSTANCE = new TracingInterceptor();

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      if (HttpClientTracing.javaagentRecords()) {
        // this copy is the application's, under the javaagent: the javaagent's own interceptor (first
        // in every client's list) records the call; recording here too would give two steps
        return chain.proceed(request);
      }
      HttpClientCall call = request.tag(HttpClientCall.class);
      if (call == null) {
        call = HttpClientTracing.start(DRIVER, request.url().toString());
        if (call == null) {
          return chain.proceed(request);
        }
        Request.Builder b = request.newBuilder();
        call.inject(SET_HEADER, b);
        request = b.build();
      }
      Response response;
      try {
        response = chain.proceed(request);
      } catch (IOException | RuntimeException | Error e) {
        call.end(0, e);
        throw e;
      }
      call.end(response.code(), null);
      return response;
    }
  }
}
