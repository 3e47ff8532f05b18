package io.whatap.vertx;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import io.whatap.http.HttpServerHandler;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.TraceContext;

/**
 * What {@link WhatapHandler} and the handlers {@code Whatap.registerApp} wraps share: start (or
 * rejoin) a request's transaction, keep it where the request's code finds it, and end it where
 * the response really ended.
 */
final class VertxTracing {
  /** Status reported when the connection closed before any response header was sent (nginx's convention). */
  static final int CLIENT_CLOSED = 499;
  static final String CONNECTION_CLOSED = "ConnectionClosed";
  static final String CONNECTION_CLOSED_MESSAGE = "connection closed before the response ended";

  private final HttpServerHandler http;

  private VertxTracing(HttpServerHandler http) {
    this.http = http;
  }

  static VertxTracing create() {
    HttpServerHandler http = null;
    try {
      // null under the javaagent (this copy bundled by the application): the javaagent's route on
      // every router traces the requests, and this handler passes them on
      http = HttpServerTracing.handlerUnlessJavaagent();
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("vertx-agent", "the WhaTap agent did not start; Vert.x requests are served untraced", e);
    }
    return new VertxTracing(http);
  }

  /**
   * The transaction to attach while the request's handlers run: a new one, or the one already
   * started for this request (a reroute, or a second traced handler on the route), or null when
   * the request is not traced. Never throws.
   */
  TraceContext enter(RoutingContext rc) {
    if (http == null) {
      return null;
    }
    TraceContext tx = null;
    try {
      TraceContext existing = rc.get(WhatapVertx.TRANSACTION_KEY);
      if (existing != null) {
        // a reroute, or a second traced handler: the end handler registered first still fires (reroute keeps end handlers)
        return existing;
      }
      tx = http.start(VertxRequestView.INSTANCE, rc.request());
      if (tx == null) {
        return null;
      }
      TraceContext started = tx;
      rc.put(WhatapVertx.TRANSACTION_KEY, started);
      rc.addEndHandler(result -> endSignalled(rc, started, result));
      Context context = Vertx.currentContext();
      if (context != null) {
        VertxContextStore.put(context, tx);
      }
      return tx;
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("vertx-enter", "could not follow a Vert.x request; serving it untraced", e);
      http.end(tx, 0, null, null);
      return null;
    }
  }

  /**
   * Ends the transaction from the routing context's end handlers, which Vert.x Web calls once
   * (and keeps across {@code reroute()}): succeeded right after the last byte was handed to the
   * connection ({@code response.end}), failed when the connection closed or broke first.
   */
  private void endSignalled(RoutingContext rc, TraceContext tx, AsyncResult<Void> result) {
    if (result.succeeded()) {
      ended(rc, tx);
    } else {
      closedEarly(rc, tx);
    }
  }

  private void ended(RoutingContext rc, TraceContext tx) {
    if (tx.isEnded()) {
      return;
    }
    try {
      http.end(tx, rc.response().getStatusCode(), rc.failure(), routeTemplate(rc));
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("vertx-end", "could not read the end of a Vert.x response", e);
      http.end(tx, 0, null, null);
    }
  }

  private void closedEarly(RoutingContext rc, TraceContext tx) {
    if (tx.isEnded()) {
      return;
    }
    try {
      HttpServerResponse response = rc.response();
      tx.error(CONNECTION_CLOSED, CONNECTION_CLOSED_MESSAGE);
      int status = response.headWritten() ? response.getStatusCode() : CLIENT_CLOSED;
      http.end(tx, status, rc.failure(), routeTemplate(rc));
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("vertx-end", "could not read the end of a Vert.x response", e);
      http.end(tx, 0, null, null);
    }
  }

  /**
   * The template of the route that answered ("/users/:id"), or null for routes without an exact
   * path (prefixes, regular expressions, the catch-all route this handler usually sits on): the
   * core then names the transaction from the URL.
   */
  static String routeTemplate(RoutingContext rc) {
    Route route = rc.currentRoute();
    if (route == null || !route.isExactPath()) {
      return null;
    }
    String path = route.getPath();
    if (path == null) {
      return null;
    }
    String mount = rc.mountPoint();
    if (mount == null || mount.isEmpty() || mount.equals("/")) {
      return path;
    }
    return mount.endsWith("/") ? mount.substring(0, mount.length() - 1) + path : mount + path;
  }
}
