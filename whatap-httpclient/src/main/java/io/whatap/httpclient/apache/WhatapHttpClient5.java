package io.whatap.httpclient.apache;

import io.whatap.http.HeaderSetter;
import io.whatap.http.HttpClientCall;
import io.whatap.spi.HttpClientTracing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * Apache HttpClient 5, classic and async: {@code WhatapHttpClient5.trace(HttpClients.custom())}
 * and {@code WhatapHttpClient5.trace(HttpAsyncClients.custom())} add an exec chain handler named
 * {@value #NAME} first in the chain, so one step covers what the application asked for (redirects
 * and retries inside it) and a failure is recorded only when the application gets it.
 */
public final class WhatapHttpClient5 {
  /** The name of the exec chain element. */
  public static final String NAME = "whatap";
  static final String DRIVER = "apache-httpclient5";
  private static final HeaderSetter<HttpRequest> SET_HEADER = HttpRequest::setHeader;

  private WhatapHttpClient5() { }

  /** {@code builder} with the classic handler added first; returns {@code builder}. */
  public static HttpClientBuilder trace(HttpClientBuilder builder) {
    return builder.addExecInterceptorFirst(NAME, classicHandler());
  }

  /** {@code builder} with the async handler added first; returns {@code builder}. */
  public static HttpAsyncClientBuilder trace(HttpAsyncClientBuilder builder) {
    return builder.addExecInterceptorFirst(NAME, asyncHandler());
  }

  /** The classic handler, for builders that place it themselves. */
  public static ExecChainHandler classicHandler() {
    return Classic.INSTANCE;
  }

  /** The async handler, for builders that place it themselves. */
  public static AsyncExecChainHandler asyncHandler() {
    return Async.INSTANCE;
  }

  /** The URL as sent: the request's scheme, authority and path (the request copy is ours to change). */
  static String url(HttpRequest request) {
    try {
      return request.getUri().toString();
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return request.getRequestUri();
    }
  }

  private static final class Classic implements ExecChainHandler {
    static final Classic INSTANCE = new Classic();

    @Override
    public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
        throws IOException, HttpException {
      HttpClientCall call = HttpClientTracing.start(DRIVER, url(request), SET_HEADER, request);
      if (call == null) {
        return chain.proceed(request, scope);
      }
      ClassicHttpResponse response;
      try {
        response = chain.proceed(request, scope);
      } catch (IOException | HttpException | RuntimeException | Error e) {
        call.end(0, e);
        throw e;
      }
      call.end(response.getCode(), null);
      return response;
    }
  }

  private static final class Async implements AsyncExecChainHandler {
    static final Async INSTANCE = new Async();

    @Override
    public void execute(HttpRequest request, AsyncEntityProducer entityProducer, AsyncExecChain.Scope scope,
        AsyncExecChain chain, AsyncExecCallback callback) throws HttpException, IOException {
      HttpClientCall call = HttpClientTracing.start(DRIVER, url(request), SET_HEADER, request);
      if (call == null) {
        chain.proceed(request, entityProducer, scope, callback);
        return;
      }
      try {
        chain.proceed(request, entityProducer, scope, new RecordingCallback(callback, call));
      } catch (HttpException | IOException | RuntimeException | Error e) {
        call.end(0, e);
        throw e;
      }
    }
  }

  /**
   * The response body's consumer: the application's callback completes from its
   * {@code streamEnd}, so the call ends just before, with the whole body timed.
   */
  private static final class RecordingBody implements AsyncDataConsumer {
    private final AsyncDataConsumer next;
    private final HttpClientCall call;
    private final int status;

    RecordingBody(AsyncDataConsumer next, HttpClientCall call, int status) {
      this.next = next;
      this.call = call;
      this.status = status;
    }

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
      next.updateCapacity(capacityChannel);
    }

    @Override
    public void consume(ByteBuffer src) throws IOException {
      next.consume(src);
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
      call.end(status, null);
      next.streamEnd(trailers);
    }

    @Override
    public void releaseResources() {
      next.releaseResources();
    }
  }

  /** Ends the call before the application's callback hears of the outcome. */
  private static final class RecordingCallback implements AsyncExecCallback {
    private final AsyncExecCallback next;
    private final HttpClientCall call;
    private volatile int status;

    RecordingCallback(AsyncExecCallback next, HttpClientCall call) {
      this.next = next;
      this.call = call;
    }

    @Override
    public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
        throws HttpException, IOException {
      int code = response.getCode();
      status = code;
      if (entityDetails == null) {
        call.end(code, null); // no body: the application's callback may run as soon as this returns
        return next.handleResponse(response, null);
      }
      AsyncDataConsumer body = next.handleResponse(response, entityDetails);
      return body == null ? null : new RecordingBody(body, call, code);
    }

    @Override
    public void handleInformationResponse(HttpResponse response) throws HttpException, IOException {
      next.handleInformationResponse(response);
    }

    @Override
    public void completed() {
      call.end(status, null);
      next.completed();
    }

    @Override
    public void failed(Exception cause) {
      call.end(status, cause);
      next.failed(cause);
    }
  }
}
