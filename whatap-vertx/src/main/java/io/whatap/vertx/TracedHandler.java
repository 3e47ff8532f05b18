package io.whatap.vertx;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;

/**
 * What {@code Whatap.registerApp(handler)} returns for a Vert.x handler: a routing-context event
 * is traced like {@link WhatapHandler} does, with the application's handler in place of
 * {@code next()}; any other event passes through untouched.
 */
final class TracedHandler implements Handler<Object> {
  private final Handler<Object> delegate;
  private final VertxTracing tracing;

  TracedHandler(Handler<Object> delegate, VertxTracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
  }

  @Override
  public void handle(Object event) {
    TraceContext tx = null;
    if (event instanceof RoutingContext) {
      tx = tracing.enter((RoutingContext) event);
    } else if (event instanceof HttpServerRequest) {
      HttpServerTracing.failure("vertx-request-handler", "a handler given to Whatap.registerApp receives"
          + " HttpServerRequest events, which are served untraced: route them through a Vert.x Web Router", null);
    }
    if (tx == null) {
      delegate.handle(event);
      return;
    }
    CurrentContext.run(tx, Handler::handle, delegate, event);
  }
}
