package io.whatap.javaagent.hooks.webflux;

import io.whatap.http.HttpServerHandler;
import io.whatap.util.AgentLog;
import io.whatap.trace.TraceContext;
import java.util.function.Consumer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.handler.ExceptionHandlingWebHandler;
import reactor.core.publisher.SignalType;

/**
 * One traced WebFlux request: ends its transaction when the {@code Mono} {@code handle} returned
 * terminates ({@code doFinally}: completed, failed or cancelled by the server when the connection
 * closed), with the status the response carries, the exception Spring's exception handlers
 * handled, and the best-matching pattern as the name.
 */
final class WebFluxExchange implements Consumer<SignalType> {
  /** {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE} (spring-webflux, named here so spring-web suffices). */
  static final String BEST_MATCHING_PATTERN = "org.springframework.web.reactive.HandlerMapping.bestMatchingPattern";
  /** Status reported when the request was cancelled before any response was committed (nginx's convention). */
  static final int CLIENT_CLOSED = 499;

  private final HttpServerHandler http;
  final TraceContext tx;
  private final ServerHttpResponse response;
  /** Set by {@code createExchange} on the thread that runs {@code handle}, read when the request ends. */
  volatile ServerWebExchange exchange;

  WebFluxExchange(HttpServerHandler http, TraceContext tx, ServerHttpResponse response) {
    this.http = http;
    this.tx = tx;
    this.response = response;
  }

  @Override
  public void accept(SignalType signal) {
    if (signal == SignalType.CANCEL && !tx.isEnded()) {
      tx.error("Cancelled", "the request was cancelled before its response ended (connection closed)");
      end(null, response.isCommitted() ? status() : CLIENT_CLOSED);
      return;
    }
    end(null);
  }

  void end(Throwable thrown) {
    end(thrown, status());
  }

  private void end(Throwable thrown, int status) {
    if (tx.isEnded()) {
      return;
    }
    try {
      ServerWebExchange e = exchange;
      Throwable error = thrown;
      String route = null;
      if (e != null) {
        Object pattern = e.getAttribute(BEST_MATCHING_PATTERN);
        route = pattern == null ? null : pattern.toString();
        if (error == null) {
          error = e.getAttribute(ExceptionHandlingWebHandler.HANDLED_WEB_EXCEPTION);
        }
      }
      http.end(tx, status, error, route);
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("webflux-end", "could not read the end of a WebFlux response", e);
      http.end(tx, 0, null, null);
    }
  }

  private int status() {
    HttpStatusCode code = response.getStatusCode();
    return code == null ? 200 : code.value();
  }
}
