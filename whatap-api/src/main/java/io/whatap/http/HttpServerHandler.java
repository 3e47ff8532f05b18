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
  public HttpRules rules() {
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
      HttpRules.Resolved resolved = r.resolve(view.path(request));
      if (resolved.ignored) {
        tracer.meters().ignoredRequests.increment();
        return null;
      }
      long assigned = 0;
      String caller = null;
      String traceparent = null;
      if (c.mtraceEnabled) {
        caller = view.header(request, c.mtraceCallerKey);
        traceparent = c.mtraceTraceparent ? view.header(request, "traceparent") : null;
        if (caller != null) {
          assigned = Propagation.assignedTxid(c, view.header(request, c.mtraceCalleeKey));
        }
      }
      String route = view.route(request);
      ctx = tracer.start(route != null && !route.isEmpty() ? route : resolved.name, assigned);
      ctx.method = shared.share(view.method(request));
      ctx.host = shared.share(view.host(request));
      ctx.clientIp = shared.share(r.clientIp(view.header(request, c.clientIpHeader), view.remoteAddr(request)));
      if (c.traceUserAgent) {
        ctx.userAgent = shared.share(view.header(request, "user-agent"));
      }
      if (c.traceReferer) {
        ctx.referer = shared.share(UrlText.recordable(view.header(request, "referer")));
      }
      if (caller != null || traceparent != null) {
        String info = view.header(request, c.mtraceInfoKey);
        String poid = view.header(request, c.mtracePoidKey);
        if (!Propagation.readIncoming(c, ctx, caller, info, poid, traceparent)) {
          tracer.meters().malformedInput.increment(); // agent_malformed_input; not an internal error too
          AgentLog.get().logOnce("propagation-malformed",
              "ignored a malformed multi-transaction header (" + c.mtraceCallerKey + " or traceparent)", null);
        }
      }
      if (r.capturesHeaders()) {
        ctx.capturedHeaders = r.captureHeaders(view, request);
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
      if (route != null && !route.isEmpty()) {
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
