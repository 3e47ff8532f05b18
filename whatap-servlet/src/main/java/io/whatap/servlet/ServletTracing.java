package io.whatap.servlet;

import io.whatap.http.HttpServerHandler;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * What {@link WhatapFilter} and a servlet traced by {@code Whatap.registerApp} both do around
 * the application: one transaction per request, whatever dispatches the request goes through.
 */
final class ServletTracing {
  /**
   * Marks a request that went async as traced: its value, the {@link RequestTrace}, lets the
   * ASYNC dispatch continue the transaction. Set only when async processing starts, not on every
   * request: a container's attribute map costs an allocation and a lock or two per request.
   */
  static final String ATTRIBUTE = RequestTrace.class.getName();

  private final HttpServerHandler handler;

  private ServletTracing(HttpServerHandler handler) {
    this.handler = handler;
  }

  /** Tracing through this JVM's agent; when the agent cannot start, requests pass through untraced. */
  static ServletTracing create() {
    try {
      return new ServletTracing(HttpServerTracing.handler());
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("servlet-agent", "the agent did not start; servlet requests are not traced", e);
      return new ServletTracing(null);
    }
  }

  void handle(ServletRequest request, ServletResponse response, FilterChain next)
      throws IOException, ServletException {
    HttpServerHandler h = handler;
    if (h == null || !(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
      next.doFilter(request, response);
      return;
    }
    HttpServletRequest httpRequest = (HttpServletRequest) request;
    DispatcherType dispatch = httpRequest.getDispatcherType();
    if (dispatch == DispatcherType.ASYNC) {
      Object marker = httpRequest.getAttribute(ATTRIBUTE);
      if (marker instanceof RequestTrace) {
        continueAsync((RequestTrace) marker, httpRequest, response, next);
        return;
      }
    }
    // FORWARD, INCLUDE and ERROR dispatches belong to a request that already went through (or
    // around) the filter, and so does a request that a traced layer further out already wraps (a
    // second WhatapFilter, or a traced servlet behind the filter).
    RequestTrace trace = dispatch == DispatcherType.REQUEST && !tracedFurtherOut(httpRequest)
        ? start(h, httpRequest, (HttpServletResponse) response) : null;
    if (trace == null) {
      next.doFilter(request, response);
      return;
    }
    TraceContext previous = CurrentContext.attach(trace.context);
    Throwable thrown = null;
    try {
      next.doFilter(new TracedRequest(httpRequest, trace), response);
    } catch (Throwable t) {
      thrown = t;
      throw t;
    } finally {
      CurrentContext.restore(previous);
      trace.requestDispatchReturned(httpRequest, thrown);
    }
  }

  private static RequestTrace start(HttpServerHandler h, HttpServletRequest request, HttpServletResponse response) {
    TraceContext ctx = h.start(ServletRequestView.INSTANCE, request);
    return ctx == null ? null : new RequestTrace(h, ctx, response);
  }

  /** True when {@code request} is, or wraps, the request a traced layer handed down. */
  private static boolean tracedFurtherOut(ServletRequest request) {
    for (int depth = 0; depth < 32 && request != null; depth++) {
      if (request instanceof TracedRequest) {
        return true;
      }
      if (!(request instanceof ServletRequestWrapper)) {
        return false;
      }
      request = ((ServletRequestWrapper) request).getRequest();
    }
    return false;
  }

  /** An AsyncContext.dispatch() of a traced request: same transaction; the AsyncListener ends it. */
  private static void continueAsync(RequestTrace trace, HttpServletRequest request, ServletResponse response,
      FilterChain next) throws IOException, ServletException {
    TraceContext previous = CurrentContext.attach(trace.context);
    try {
      next.doFilter(new TracedRequest(request, trace), response);
    } catch (Throwable t) {
      trace.failed(t);
      throw t;
    } finally {
      CurrentContext.restore(previous);
    }
  }
}
