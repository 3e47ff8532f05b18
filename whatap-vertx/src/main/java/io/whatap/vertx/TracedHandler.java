package io.whatap.vertx;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
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
    TraceContext tx = event instanceof RoutingContext ? tracing.enter((RoutingContext) event) : null;
    if (tx == null) {
      delegate.handle(event);
      return;
    }
    TraceContext previous = CurrentContext.attach(tx);
    try {
      delegate.handle(event);
    } finally {
      CurrentContext.restore(previous);
    }
  }
}
