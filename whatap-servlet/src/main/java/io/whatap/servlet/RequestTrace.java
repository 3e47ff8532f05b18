package io.whatap.servlet;

import io.whatap.http.HttpServerHandler;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.TraceContext;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The state of one traced request, kept here rather than in request attributes (Undertow clears
 * those before {@code onComplete}), and the {@link AsyncListener} that ends an asynchronous
 * request. {@link HttpServerHandler#end} is a compare-and-set, so the racing callbacks of a
 * timeout or an error and the completion end the transaction once.
 */
final class RequestTrace implements AsyncListener {
  static final String TIMEOUT_ERROR = "AsyncTimeout";
  /** {@code org.springframework.web.servlet.HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}. */
  static final String SPRING_MVC_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";
  /** A route template another framework's hook found (the javaagent's JAX-RS hook: the matched {@code @Path} templates). */
  static final String WHATAP_ROUTE = "io.whatap.route";

  final TraceContext context;
  private final HttpServerHandler handler;
  private final HttpServletResponse response;
  /** Set once this listener is on the request's AsyncContext: the listener, not the filter, ends the request. */
  private volatile boolean listening;
  /** Set by onStartAsync, which re-registered this listener for the new async cycle already. */
  private volatile boolean reRegistered;
  private volatile Throwable failure;
  /** The framework's route template, read when a dispatch returns (Undertow clears attributes before onComplete). */
  private volatile String route;
  private TracedAsyncContext tracedAsyncContext;

  RequestTrace(HttpServerHandler handler, TraceContext context, HttpServletResponse response) {
    this.handler = handler;
    this.context = context;
    this.response = response;
  }

  /**
   * Called the moment the application starts async processing through the traced request: the
   * listener goes on before the application can hand the AsyncContext to another thread, which
   * might complete it before the filter's chain returns.
   */
  AsyncContext asyncStarted(ServletRequest request, AsyncContext asyncContext) {
    markAsync(request);
    try {
      if (!reRegistered) {
        asyncContext.addListener(this);
      }
      listening = true;
    } catch (RuntimeException e) {
      HttpServerTracing.failure("servlet-async-listener", "cannot listen to an async request; it ends when its first dispatch returns", e);
    } finally {
      reRegistered = false;
    }
    return traced(asyncContext);
  }

  /** The AsyncContext the application sees: its {@code start(Runnable)} runs the work inside this transaction. */
  AsyncContext traced(AsyncContext asyncContext) {
    if (asyncContext == null) {
      return null;
    }
    TracedAsyncContext t = tracedAsyncContext;
    if (t == null || t.delegate != asyncContext) {
      t = new TracedAsyncContext(asyncContext, context);
      tracedAsyncContext = t; // a racing getAsyncContext() at worst makes a second equivalent wrapper
    }
    return t;
  }

  /** The first (REQUEST) dispatch returned or threw {@code thrown}: end now unless the request went async. */
  void requestDispatchReturned(HttpServletRequest request, Throwable thrown) {
    try {
      readRoute(request);
      if (listening || (request.isAsyncStarted() && listenLate(request))) {
        failed(thrown);
        return;
      }
      int status = thrown != null && !response.isCommitted() ? 500 : response.getStatus();
      handler.end(context, status, thrown, route);
    } catch (RuntimeException e) {
      HttpServerTracing.failure("servlet-end", "cannot read the end of a request", e);
      handler.end(context, 0, thrown, route);
    }
  }

  /** An ASYNC dispatch returned or threw {@code thrown}: the AsyncListener ends the request. */
  void asyncDispatchReturned(HttpServletRequest request, Throwable thrown) {
    try {
      readRoute(request);
    } catch (RuntimeException e) {
      HttpServerTracing.failure("servlet-route", "cannot read the route of an async request", e);
    }
    failed(thrown);
  }

  /**
   * The route template the framework matched, when it publishes one as a request attribute
   * (Spring MVC: the best-matching handler pattern, e.g. {@code /users/{id}}; JAX-RS under the
   * javaagent: the matched {@code @Path} templates under {@link #WHATAP_ROUTE}); it names the
   * transaction instead of the path.
   */
  private void readRoute(HttpServletRequest request) {
    Object pattern = request.getAttribute(SPRING_MVC_PATTERN);
    if (pattern == null) {
      pattern = request.getAttribute(WHATAP_ROUTE);
    }
    if (pattern instanceof String) {
      route = (String) pattern;
    }
  }

  /** Async started without the traced request (the application unwrapped it): listen from here on. */
  private boolean listenLate(HttpServletRequest request) {
    try {
      request.getAsyncContext().addListener(this);
      markAsync(request);
      listening = true;
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** Lets the ASYNC dispatch of {@code request} find this transaction ({@link ServletTracing#ATTRIBUTE}). */
  private void markAsync(ServletRequest request) {
    try {
      request.setAttribute(ServletTracing.ATTRIBUTE, this);
    } catch (RuntimeException e) {
      HttpServerTracing.failure("servlet-attribute", "cannot mark an async request as traced; its async dispatch runs"
          + " outside the transaction", e);
    }
  }

  /** Keeps the first failure: what the application threw, not the container's later wrapper of it (Tomcat's onError). */
  void failed(Throwable thrown) {
    if (thrown != null && failure == null) {
      failure = thrown;
    }
  }

  @Override
  public void onComplete(AsyncEvent event) {
    int status;
    try {
      status = response.getStatus();
    } catch (RuntimeException e) {
      HttpServerTracing.failure("servlet-async-status", "cannot read the status of a completed async request", e);
      status = 0;
    }
    handler.end(context, status, failure, route);
  }

  @Override
  public void onTimeout(AsyncEvent event) {
    try {
      context.error(TIMEOUT_ERROR, "async timeout after " + event.getAsyncContext().getTimeout() + " ms");
    } catch (RuntimeException e) {
      context.error(TIMEOUT_ERROR, "async timeout");
    }
  }

  @Override
  public void onError(AsyncEvent event) {
    failed(event.getThrowable());
  }

  /** A new async cycle (startAsync after an AsyncContext.dispatch) drops the old listeners: come back. */
  @Override
  public void onStartAsync(AsyncEvent event) {
    try {
      event.getAsyncContext().addListener(this);
      reRegistered = true;
    } catch (RuntimeException e) {
      HttpServerTracing.failure("servlet-async-restart", "cannot listen to a restarted async request", e);
    }
  }
}
