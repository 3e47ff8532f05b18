package io.whatap.servlet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;

/** A servlet whose every request is traced the way {@link WhatapFilter} traces it; made by {@code Whatap.registerApp}. */
final class TracedServlet implements Servlet {
  private final Servlet delegate;
  private final ServletTracing tracing;
  private final FilterChain service;

  private TracedServlet(Servlet delegate, ServletTracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
    this.service = delegate::service;
  }

  static Servlet wrap(Servlet servlet) {
    return servlet instanceof TracedServlet ? servlet : new TracedServlet(servlet, ServletTracing.create());
  }

  @Override
  public void init(ServletConfig config) throws ServletException {
    delegate.init(config);
  }

  @Override
  public ServletConfig getServletConfig() {
    return delegate.getServletConfig();
  }

  @Override
  public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
    tracing.handle(request, response, service);
  }

  @Override
  public String getServletInfo() {
    return delegate.getServletInfo();
  }

  @Override
  public void destroy() {
    delegate.destroy();
  }

  @Override
  public String toString() {
    return "TracedServlet(" + delegate + ")";
  }
}
