package io.whatap.servlet;

import io.whatap.javaagent.bootstrap.Hook;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;

/**
 * The javaagent's way into whatap-servlet: the advice on {@code Servlet.service} and
 * {@code Filter.doFilter} calls {@link ServletTracing#enter}/{@link ServletTracing#exit}, the code
 * {@link WhatapFilter} runs around its chain, so both ways in record the same. Lives in
 * whatap-servlet's package (and is defined by the same adapter class loader as whatap-servlet's
 * classes) to reach its package-private tracing without making it public API.
 */
public final class ServletEntryHook implements Hook {
  private final ServletTracing tracing = ServletTracing.create();

  public ServletEntryHook() { }

  @Override
  public Object enter(Object self, Object request, Object response) {
    return tracing.enter((ServletRequest) request, (ServletResponse) response);
  }

  @Override
  public Object argument(Object scope, Object original) {
    return scope; // the traced request the code below this layer gets
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    tracing.exit((TracedRequest) scope, thrown);
  }
}
