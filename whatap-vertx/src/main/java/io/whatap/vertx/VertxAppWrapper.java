package io.whatap.vertx;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.whatap.spi.AppWrapper;

/**
 * {@code Whatap.registerApp(handler)} for Vert.x: any {@code io.vertx.core.Handler} is accepted
 * (generics are erased, so a {@code Handler<RoutingContext>} cannot be told from others); the
 * traced handler traces routing-context events and passes every other event through. Found
 * through {@link java.util.ServiceLoader}; applications do not use this class directly.
 */
public final class VertxAppWrapper implements AppWrapper {
  @Override
  public String supportedType() {
    return "io.vertx.core.Handler<io.vertx.ext.web.RoutingContext>";
  }

  @Override
  public boolean supports(Object handler) {
    try {
      // RoutingContext.class resolves vertx-web: a Handler without it on the class path cannot be traced
      return handler instanceof Handler && RoutingContext.class != null;
    } catch (LinkageError noVertx) {
      return false;
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object wrap(Object handler) {
    if (handler instanceof TracedHandler || handler instanceof WhatapHandler) {
      return handler;
    }
    return new TracedHandler((Handler<Object>) handler, VertxTracing.create());
  }
}
