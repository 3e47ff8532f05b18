package io.whatap.javaagent.hooks.webflux;

import io.whatap.http.HttpServerHandler;
import io.whatap.runtime.Agent;
import io.whatap.util.AgentLog;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Defined by an adapter loader against the application's spring-web and reactor-core: one
 * transaction per WebFlux request, through whatap-api's {@link HttpServerHandler} (the recording
 * every adapter shares), with {@link ServerHttpRequestView} as the request view.
 *
 * <p>{@code handle} makes the request's exchange on the calling thread before it returns; the hook
 * finds the request's {@link WebFluxExchange} for it through a thread-local set only for that
 * span, and the exchange's attributes give the name (Spring's best-matching pattern) and the
 * exception Spring's exception handlers handled, read when the request ends. The transaction
 * follows the request's pipeline onto other threads: {@link ReactorPropagation}.
 */
public final class WebFluxHook implements Hook {
  private static final ThreadLocal<WebFluxExchange> HANDLING = new ThreadLocal<>();

  private final HttpServerHandler http;

  public WebFluxHook() {
    HttpServerHandler h = null;
    try {
      h = Agent.get().http;
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("webflux-agent", "the WhaTap agent did not start; WebFlux requests are served untraced", e);
    }
    this.http = h;
    if (h != null) {
      ReactorPropagation.install();
    }
  }

  @Override
  public Object enter(Object self, Object request, Object response) {
    if (self instanceof ServerWebExchange) {
      WebFluxExchange handling = HANDLING.get();
      if (handling != null) {
        handling.exchange = (ServerWebExchange) self;
      }
      return null;
    }
    if (http == null || !(request instanceof ServerHttpRequest) || !(response instanceof ServerHttpResponse)) {
      return null;
    }
    if (CurrentContext.get() != null) {
      // WebFlux on a servlet container: the servlet hook's transaction for this request is
      // current here (handle runs inside Servlet.service); one transaction per request
      return null;
    }
    TraceContext tx = http.start(ServerHttpRequestView.INSTANCE, (ServerHttpRequest) request);
    if (tx == null) {
      return null;
    }
    WebFluxExchange scope = new WebFluxExchange(http, tx, (ServerHttpResponse) response);
    HANDLING.set(scope);
    return scope;
  }

  @Override
  public Object exitReturning(Object scope, Object returned, Throwable thrown) {
    HANDLING.remove();
    WebFluxExchange exchange = (WebFluxExchange) scope;
    if (thrown != null || !(returned instanceof Mono)) {
      exchange.end(thrown);
      return returned;
    }
    return ReactorPropagation.attach(((Mono<?>) returned).doFinally(exchange), exchange.tx);
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    exitReturning(scope, returned, thrown);
  }
}
