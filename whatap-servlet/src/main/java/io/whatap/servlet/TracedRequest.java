package io.whatap.servlet;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The request the application sees: unchanged, except that starting async processing registers
 * the transaction's listener at that very moment, and that the AsyncContext it returns runs
 * {@code start(Runnable)} work inside the transaction.
 */
final class TracedRequest extends HttpServletRequestWrapper {
  private final RequestTrace trace;

  TracedRequest(HttpServletRequest request, RequestTrace trace) {
    super(request);
    this.trace = trace;
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
