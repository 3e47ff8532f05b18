package io.whatap.wsgi;

import io.whatap.http.HttpServerHandler;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.util.Map;

/**
 * A traced WSGI application, as {@code Whatap.registerApp(app)} returns it. The transaction
 * starts in {@code call} and ends when the body is exhausted or closed (WSGI's {@code close()}),
 * not when {@code call} returns: a body produced lazily is part of the request. The context is
 * current while the application runs, in {@code call} and in each step of the body's iteration.
 */
final class TracedWsgiApp implements WsgiApp {
  private final WsgiApp app;
  private final HttpServerHandler http;

  private TracedWsgiApp(WsgiApp app, HttpServerHandler http) {
    this.app = app;
    this.http = http;
  }

  static WsgiApp wrap(WsgiApp app) {
    if (app instanceof TracedWsgiApp) {
      return app;
    }
    try {
      return new TracedWsgiApp(app, HttpServerTracing.handler());
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("wsgi-wrap", "the agent did not start; the WSGI application runs untraced", e);
      return app;
    }
  }

  @Override
  public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) throws Exception {
    TraceContext ctx = http.start(EnvironView.INSTANCE, environ);
    if (ctx == null) {
      return app.call(environ, startResponse);
    }
    TracedResponse response = new TracedResponse(http, ctx, environ, startResponse);
    Iterable<?> body;
    try {
      body = CurrentContext.call(ctx, TracedResponse::runApp, response, app);
    } catch (Throwable t) {
      response.end(t);
      throw t;
    }
    return response.body(body);
  }

  @Override
  public String toString() {
    return "TracedWsgiApp{" + app + "}";
  }
}
