package io.whatap.undertow;

import io.undertow.server.HttpHandler;
import io.whatap.spi.AppWrapper;

/**
 * {@code Whatap.registerApp(handler)} for {@code io.undertow.server.HttpHandler}: returns
 * {@link WhatapHandler#wrap}. Found through {@link java.util.ServiceLoader}; applications do not
 * use this class directly.
 */
public final class UndertowAppWrapper implements AppWrapper {
  @Override
  public String supportedType() {
    return "io.undertow.server.HttpHandler";
  }

  @Override
  public boolean supports(Object handler) {
    try {
      return handler instanceof HttpHandler;
    } catch (LinkageError noUndertow) {
      return false;
    }
  }

  @Override
  public Object wrap(Object handler) {
    return WhatapHandler.wrap((HttpHandler) handler);
  }
}
