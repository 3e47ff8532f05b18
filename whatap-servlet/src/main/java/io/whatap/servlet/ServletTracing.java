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
  private static final String TRACED_REQUEST = TracedRequest.class.getName();

  /** Passes every request through untraced. */
  static final ServletTracing UNTRACED = new ServletTracing(null);

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
      return UNTRACED;
    }
  }

  /** Tracing through the agent {@code lease} holds. */
  static ServletTracing create(HttpServerTracing.Lease lease) {
    return new ServletTracing(lease.handler());
  }

  /** The filter's way: {@link #enter}, the chain with the traced request, {@link #exit}. */
  void handle(ServletRequest request, ServletResponse response, FilterChain next)
      throws IOException, ServletException {
    TracedRequest entry = enter(request, response);
    if (entry == null) {
      next.doFilter(request, response);
      return;
    }
    Throwable thrown = null;
    try {
      next.doFilter(entry, response);
    } catch (Throwable t) {
      thrown = t;
      throw t;
    } finally {
      exit(entry, thrown);
    }
  }

  /**
   * Starts the transaction of a REQUEST dispatch, or continues it for the ASYNC dispatch of a
   * traced request, and attaches it to this thread; null when this layer records nothing (FORWARD,
   * INCLUDE and ERROR dispatches belong to a request that already went through, or around, the
   * outermost layer, and so does a request that a traced layer further out already wraps: a second
   * WhatapFilter, a traced servlet behind the filter, the javaagent's hook on the next filter).
   */
  TracedRequest enter(ServletRequest request, ServletResponse response) {
    HttpServerHandler h = handler;
    if (h == null || !(request instanceof HttpServletRequest) || !(response instanceof HttpServletResponse)) {
      return null;
    }
    HttpServletRequest httpRequest = (HttpServletRequest) request;
    DispatcherType dispatch = httpRequest.getDispatcherType();
    if (dispatch == DispatcherType.ASYNC) {
      // the dispatched request may be the traced wrapper the application passed to
      // startAsync(request, response): whether this layer is the outermost one shows in the
      // thread's current transaction, not in the wrappers
      Object marker = httpRequest.getAttribute(ATTRIBUTE);
      if (marker instanceof RequestTrace && CurrentContext.get() != ((RequestTrace) marker).context) {
        RequestTrace trace = (RequestTrace) marker;
        return new TracedRequest(httpRequest, trace, CurrentContext.attach(trace.context), true);
      }
      return null;
    }
    if (dispatch != DispatcherType.REQUEST || tracedFurtherOut(httpRequest)) {
      return null;
    }
    TraceContext ctx = h.start(ServletRequestView.INSTANCE, httpRequest);
    if (ctx == null) {
      return null;
    }
    RequestTrace trace = new RequestTrace(h, ctx, (HttpServletResponse) response);
    return new TracedRequest(httpRequest, trace, CurrentContext.attach(ctx), false);
  }

  /** The dispatch {@link #enter} saw returned, or threw {@code thrown}: detach, and end unless the request went async. */
  void exit(TracedRequest entry, Throwable thrown) {
    CurrentContext.restore(entry.previous);
    if (entry.asyncDispatch) {
      entry.trace.asyncDispatchReturned(entry.original, thrown);
    } else {
      entry.trace.requestDispatchReturned(entry.original, thrown);
    }
  }

  /**
   * True when {@code request} is, or wraps, the request a traced layer handed down: compared by
   * class name, so that the javaagent's copy of this adapter and an application's own copy of
   * whatap-servlet recognise each other's wrapper.
   */
  private static boolean tracedFurtherOut(ServletRequest request) {
    for (int depth = 0; depth < 32 && request != null; depth++) {
      if (request instanceof TracedRequest || request.getClass().getName().equals(TRACED_REQUEST)) {
        return true;
      }
      if (!(request instanceof ServletRequestWrapper)) {
        return false;
      }
      request = ((ServletRequestWrapper) request).getRequest();
    }
    return false;
  }
}
