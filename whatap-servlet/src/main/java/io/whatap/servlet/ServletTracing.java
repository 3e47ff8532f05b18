package io.whatap.servlet;

import io.whatap.http.HttpServerHandler;
import io.whatap.internal.Agent;
import io.whatap.internal.AgentLog;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
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
   * Marks a request as traced. Its value, the {@link RequestTrace}, lets an ASYNC dispatch
   * continue the transaction; any later dispatch that finds it (FORWARD, INCLUDE, ERROR, or a
   * second WhatapFilter or traced servlet on the same request) creates nothing.
   */
  static final String ATTRIBUTE = RequestTrace.class.getName();

  private final HttpServerHandler handler;

  private ServletTracing(HttpServerHandler handler) {
    this.handler = handler;
  }

  /** Tracing through this JVM's agent; when the agent cannot start, requests pass through untraced. */
  static ServletTracing create() {
    try {
      return new ServletTracing(Agent.get().http);
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("servlet-agent", "the agent did not start; servlet requests are not traced", e);
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
    Object marker = httpRequest.getAttribute(ATTRIBUTE);
    if (marker != null) {
      if (marker instanceof RequestTrace && httpRequest.getDispatcherType() == DispatcherType.ASYNC) {
        continueAsync((RequestTrace) marker, httpRequest, response, next);
      } else {
        next.doFilter(request, response);
      }
      return;
    }
    // FORWARD, INCLUDE and ERROR dispatches belong to a request that already went through (or
    // around) the filter; an untraced first dispatch (an ignored URL) leaves no marker.
    RequestTrace trace = httpRequest.getDispatcherType() == DispatcherType.REQUEST
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
    if (ctx == null) {
      return null;
    }
    RequestTrace trace = new RequestTrace(h, ctx, response);
    try {
      request.setAttribute(ATTRIBUTE, trace);
    } catch (RuntimeException e) {
      AgentLog.get().warnOnce("servlet-attribute", "cannot mark a request as traced; serving it untraced", e);
      h.end(ctx, 0, null, null);
      return null;
    }
    return trace;
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
