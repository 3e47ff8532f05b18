package io.whatap.jdkhttp;

import com.sun.net.httpserver.HttpHandler;
import io.whatap.spi.AppWrapper;

/** {@code Whatap.registerApp} for the JDK's {@code com.sun.net.httpserver.HttpHandler}. */
public final class JdkHttpAppWrapper implements AppWrapper {
  @Override
  public String supportedType() {
    return "com.sun.net.httpserver.HttpHandler";
  }

  @Override
  public boolean supports(Object handler) {
    return handler instanceof HttpHandler;
  }

  @Override
  public Object wrap(Object handler) {
    return WhatapHttpHandler.wrap((HttpHandler) handler);
  }
}
