package io.whatap.http;

import io.whatap.config.Config;
import io.whatap.util.AgentLog;
import io.whatap.util.SharedStrings;
import io.whatap.util.UrlText;
import io.whatap.trace.TraceContext;
import io.whatap.trace.Tracer;

/**
 * The HTTP logic every adapter shares, as two calls: {@link #start} from a request view and
 * {@link #end} with the final status. An adapter only reads its framework's objects, attaches
 * the context for the span of its callbacks and finds the end signal. Neither call throws: a
 * failure inside is counted and logged once, and the request goes on untraced.
 */
public final class HttpServerHandler {
  private final Tracer tracer;
  private volatile HttpRules rules;
  /** Request fields that repeat (host, client address, user agent, method): see {@link SharedStrings}. */
  private final SharedStrings shared = new SharedStrings(2048);

  public HttpServerHandler(Tracer tracer) {
    this.tracer = tracer;
    this.rules = new HttpRules(tracer.config());
  }

  public Tracer tracer() {
    return tracer;
  }

  /** The rules for the current configuration (recompiled when the configuration changes). */
  HttpRules rules() {
    HttpRules r = rules;
    Config c = tracer.config();
    if (r.config != c) {
      r = new HttpRules(c);
      rules = r;
    }
    return r;
  }

  /**
   * Starts a transaction for {@code request}, or returns null when the agent is disabled, the
   * URL is ignored, or reading the request failed. The context is not attached to the thread.
   */
  public <R> TraceContext start(HttpRequestView<R> view, R request) {
    TraceContext ctx = null;
    try {
      HttpRules r = rules();
      Config c = r.config;
      if (!c.enabled) {
        return null;
      }
      String pathTail = view.pathTail(request);
      HttpRules.Resolved resolved = pathTail == null ? r.resolve(view.path(request))
          : r.resolve(view.pathHead(request), pathTail);
      if (resolved.ignored) {
        tracer.meters().ignoredRequests.increment();
        return null;
      }
      ctx = tracer.start(resolved.nameFor(view.route(request)), Propagation.assignedTxid(c, view, request));
      ctx.requestFrom(shared.share(view.method(request)), shared.share(view.host(request)),
          shared.share(r.clientIp(view.header(request, c.clientIpHeader), view.remoteAddr(request))),
          c.traceUserAgent ? shared.share(view.header(request, "user-agent")) : null,
          c.traceReferer ? shared.share(UrlText.recordable(view.header(request, "referer"))) : null);
      Propagation.extract(view, request, ctx);
      if (r.capturesHeaders()) {
        ctx.headersCaptured(r.captureHeaders(view, request));
      }
      return ctx;
    } catch (RuntimeException | Error e) {
      tracer.abandon(ctx);
      tracer.meters().untracedOnError.increment();
      AgentLog.get().warnOnce("http-start", "could not read a request; serving it untraced", e);
      return null;
    }
  }

  /**
   * Ends {@code ctx} (null is fine) with the status the client saw, the failure if any, and
   * the route template when the framework learned it after {@link #start} (null otherwise).
   */
  public void end(TraceContext ctx, int status, Throwable error, String route) {
    if (ctx == null) {
      return;
    }
    try {
      if (HttpRules.routeNames(route)) {
        ctx.rename(route);
      }
      if (error == null && !ctx.hasError() && status != 0 && tracer.config().isErrorStatus(status)) {
        ctx.error(StatusPhrase.of(status), StatusPhrase.message(status));
      }
      tracer.end(ctx, status, error);
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("http-end", "could not end a transaction", e);
    }
  }
}
