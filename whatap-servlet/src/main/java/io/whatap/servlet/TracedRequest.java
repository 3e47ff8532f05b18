package io.whatap.servlet;

import io.whatap.trace.TraceContext;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request the application sees: unchanged, except that starting async processing registers
 * the transaction's listener at that very moment, and that the AsyncContext it returns runs
 * {@code start(Runnable)} work inside the transaction. It is also what {@link ServletTracing#enter}
 * hands to {@link ServletTracing#exit} (one object per dispatch, not two).
 */
final class TracedRequest extends HttpServletRequestWrapper {
  final RequestTrace trace;
  /** The request this layer was given (the wrapper's getRequest() can be replaced by the application). */
  final HttpServletRequest original;
  /** What was attached to the thread before this dispatch: restored by {@link ServletTracing#exit}. */
  final TraceContext previous;
  /** True for an AsyncContext.dispatch() of a traced request: the AsyncListener, not exit, ends it. */
  final boolean asyncDispatch;

  TracedRequest(HttpServletRequest request, RequestTrace trace, TraceContext previous, boolean asyncDispatch) {
    super(request);
    this.trace = trace;
    this.original = request;
    this.previous = previous;
    this.asyncDispatch = asyncDispatch;
  }

  @Override
  public AsyncContext startAsync() {
    return trace.asyncStarted(this, super.startAsync());
  }

  @Override
  public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
    return trace.asyncStarted(this, super.startAsync(request, response));
  }

  @Override
  public AsyncContext getAsyncContext() {
    return trace.traced(super.getAsyncContext());
  }
}
