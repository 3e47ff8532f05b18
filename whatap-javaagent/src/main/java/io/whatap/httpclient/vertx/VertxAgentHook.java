package io.whatap.httpclient.vertx;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import io.whatap.http.HttpClientCall;
import io.whatap.http.HttpClientHandler;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;

/**
 * The javaagent's way into whatap-httpclient for Vert.x 4.5 and 5: inlined into
 * {@code io.vertx.core.http.impl.HttpClientImpl.request(RequestOptions)} (and 4.5's
 * {@code request(RequestOptions, Handler)}), which every {@code request(...)} overload of both lines
 * and WebClient reach exactly once. On the caller's thread the step starts and the request goes out
 * with a copy of the options carrying the headers ({@link WhatapVertxClient#withHeaders}); the
 * future (or 4.5's callback) gets library mode's {@link WhatapVertxClient#ender}, which ends the
 * step on the event loop. Options that already carry the callee-txid header are left alone: a client
 * traced by hand ({@link WhatapVertxClient#trace}, from any copy of whatap-httpclient) records them.
 * Defined by an adapter class loader per copy of vertx-core.
 */
public final class VertxAgentHook implements Hook {
  public VertxAgentHook() { }

  @Override
  public Object enter(Object client, Object options, Object unused) {
    if (!(options instanceof RequestOptions)) {
      return null;
    }
    RequestOptions o = (RequestOptions) options;
    TraceContext tx = CurrentContext.get();
    if (tx == null) {
      return null;
    }
    MultiMap headers = o.getHeaders();
    if (headers != null && headers.contains(tx.tracer().config().mtraceCalleeKey)) {
      return null;
    }
    HttpClientCall call = HttpClientHandler.start(WhatapVertxClient.DRIVER, WhatapVertxClient.url(o));
    return call == null ? null : new Scope(call, WhatapVertxClient.withHeaders(call, o));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object argument(Object scope, Object original) {
    Scope s = (Scope) scope;
    if (original instanceof RequestOptions) {
      return s.options;
    }
    if (original instanceof Handler) { // 4.5's callback overload: ours first, then the application's
      Handler<AsyncResult<HttpClientRequest>> ender = WhatapVertxClient.ender(s.call);
      Handler<AsyncResult<HttpClientRequest>> application = (Handler<AsyncResult<HttpClientRequest>>) original;
      s.callback = true;
      return (Handler<AsyncResult<HttpClientRequest>>) created -> {
        ender.handle(created);
        application.handle(created);
      };
    }
    return original;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void exit(Object scope, Object returned, Throwable thrown) {
    Scope s = (Scope) scope;
    if (thrown != null) {
      s.call.end(0, thrown);
    } else if (returned instanceof Future) {
      ((Future<HttpClientRequest>) returned).onComplete(WhatapVertxClient.ender(s.call));
    } else if (!s.callback) {
      s.call.end(0, null); // neither a future nor a callback of ours: nothing would end the step later
    }
  }

  private static final class Scope {
    final HttpClientCall call;
    final RequestOptions options;
    boolean callback;

    Scope(HttpClientCall call, RequestOptions options) {
      this.call = call;
      this.options = options;
    }
  }
}
