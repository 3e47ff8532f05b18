package io.whatap.jdkhttp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.whatap.http.HttpServerHandler;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.io.IOException;

/**
 * Traces a JDK {@code com.sun.net.httpserver} handler: {@code server.createContext("/",
 * WhatapHttpHandler.wrap(handler))}, or {@code Whatap.registerApp(handler)}.
 *
 * <p>A transaction ends where the JDK server finishes the response: when the response body (or
 * the exchange) is closed, on any thread, so a handler that passes the exchange to another
 * thread is timed until that thread answers; when the handler returns after a response without
 * body ({@code sendResponseHeaders(code, -1)}, 204, 304, HEAD); or when the handler throws (500
 * when nothing was sent yet; the exception is recorded and rethrown unchanged).
 */
public final class WhatapHttpHandler implements HttpHandler {
  private final HttpHandler next;
  private final HttpServerHandler http;

  private WhatapHttpHandler(HttpHandler next, HttpServerHandler http) {
    this.next = next;
    this.http = http;
  }

  /** {@code next} traced; {@code next} itself when it is traced already or the agent cannot start. */
  public static HttpHandler wrap(HttpHandler next) {
    if (next == null) {
      throw new IllegalArgumentException("WhatapHttpHandler.wrap(null): pass the handler to trace");
    }
    if (next instanceof WhatapHttpHandler) {
      return next;
    }
    try {
      return new WhatapHttpHandler(next, HttpServerTracing.handler());
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("jdkhttp-wrap", "the agent did not start; the JDK HttpHandler runs untraced", e);
      return next;
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    TraceContext ctx = http.start(ExchangeView.INSTANCE, exchange);
    if (ctx == null) {
      next.handle(exchange);
      return;
    }
    boolean endsOnClose = installBody(exchange, ctx);
    try {
      CurrentContext.run(ctx, HttpHandler::handle, next, exchange);
    } catch (Throwable t) {
      http.end(ctx, statusOr500(exchange), t, null);
      throw t;
    }
    if (!endsOnClose || answeredWithoutBody(exchange)) {
      http.end(ctx, statusOr500(exchange), null, null);
    }
  }

  private boolean installBody(HttpExchange exchange, TraceContext ctx) {
    try {
      exchange.setStreams(null, new TracedResponseBody(exchange.getResponseBody(), exchange, http, ctx));
      return true;
    } catch (RuntimeException e) {
      HttpServerTracing.failure("jdkhttp-streams", "could not watch a response body; such transactions end"
          + " when the handler returns", e);
      return false;
    }
  }

  /** The JDK server finished these responses inside sendResponseHeaders: no close will follow. */
  private static boolean answeredWithoutBody(HttpExchange exchange) {
    try {
      int code = exchange.getResponseCode();
      if (code <= 0) {
        return false;
      }
      return code < 200 || code == 204 || code == 304 || "HEAD".equals(exchange.getRequestMethod())
          || "0".equals(exchange.getResponseHeaders().getFirst("Content-length"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static int statusOr500(HttpExchange exchange) {
    try {
      int code = exchange.getResponseCode();
      return code > 0 ? code : 500;
    } catch (RuntimeException e) {
      return 500;
    }
  }

  @Override
  public String toString() {
    return "WhatapHttpHandler{" + next + "}";
  }
}
