package io.whatap.undertow;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.http.HttpServerHandler;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Traces every exchange an Undertow handler serves, as one WhaTap transaction each:
 *
 * <pre>{@code Undertow.builder().setHandler(WhatapHandler.wrap(myHandler))}</pre>
 *
 * or {@link #wrapper()} in a handler chain. The transaction ends when the exchange completes,
 * with the final status, whether the handler answered on the IO thread, dispatched to a worker or
 * completed later from another thread. It is named after the {@code RoutingHandler} or
 * {@code PathTemplateHandler} template that matched ({@code /users/{id}}). The handler and the
 * task it dispatches see it through {@code Whatap.currentTransaction()}; other threads through
 * {@code Whatap.wrap(...)} or {@link #current(HttpServerExchange)}.
 */
public final class WhatapHandler implements HttpHandler {
  private static final AttachmentKey<ExchangeTrace> TRACE = AttachmentKey.create(ExchangeTrace.class);

  private final HttpHandler next;
  private final HttpServerHandler http;

  private WhatapHandler(HttpHandler next, HttpServerHandler http) {
    this.next = next;
    this.http = http;
  }

  /**
   * {@code next}, traced; {@code next} itself when it already is a {@code WhatapHandler}, or when the
   * javaagent runs and this copy of whatap-undertow is the application's (the javaagent traces the
   * root handler of every {@code Undertow} it builds).
   */
  public static HttpHandler wrap(HttpHandler next) {
    Objects.requireNonNull(next, "next");
    if (next instanceof WhatapHandler || HttpServerTracing.javaagentTraces()) {
      // under the javaagent (this copy bundled by the application) the javaagent wraps the server's
      // root handler itself: a second wrap here would start a second agent
      return next;
    }
    HttpServerHandler http = null;
    try {
      http = HttpServerTracing.handler();
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("undertow-agent", "the WhaTap agent did not start; Undertow requests are served untraced", e);
    }
    return new WhatapHandler(next, http);
  }

  /** A {@link HandlerWrapper} that applies {@link #wrap}, for builder and deployment chains. */
  public static HandlerWrapper wrapper() {
    return WhatapHandler::wrap;
  }

  /**
   * The transaction of {@code exchange}, or {@link Transaction#NOOP} when it is not traced. Under the
   * javaagent (this copy bundled by the application, which then wraps nothing) the javaagent's
   * transaction current on this thread: call it on the exchange's thread there.
   */
  public static Transaction current(HttpServerExchange exchange) {
    ExchangeTrace trace = exchange == null ? null : exchange.getAttachment(TRACE);
    if (trace != null) {
      return Whatap.asTransaction(trace.tx);
    }
    return HttpServerTracing.javaagentTraces() ? Whatap.currentTransaction() : Transaction.NOOP;
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    ExchangeTrace trace = enter(exchange);
    if (trace == null) {
      next.handleRequest(exchange);
      return;
    }
    try {
      CurrentContext.run(trace.tx, HttpHandler::handleRequest, next, exchange);
    } catch (Exception | Error e) {
      trace.thrown = e;
      throw e;
    }
    followDispatch(exchange, trace.tx);
  }

  /** The exchange's trace: a new one, the one a WhatapHandler earlier in the chain made, or null. */
  private ExchangeTrace enter(HttpServerExchange exchange) {
    if (http == null) {
      return null;
    }
    TraceContext tx = null;
    try {
      ExchangeTrace existing = exchange.getAttachment(TRACE);
      if (existing != null) {
        return existing;
      }
      tx = http.start(UndertowRequestView.INSTANCE, exchange);
      if (tx == null) {
        return null;
      }
      ExchangeTrace trace = new ExchangeTrace(http, tx);
      exchange.addExchangeCompleteListener(trace);
      exchange.putAttachment(TRACE, trace);
      return trace;
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("undertow-enter", "could not follow an Undertow exchange; serving it untraced", e);
      http.end(tx, 0, null, null);
      return null;
    }
  }

  /**
   * When the handler dispatched the exchange, Undertow runs the task once the IO thread's call
   * returns, on the dispatch executor (the XNIO worker when none was given): run it there with
   * the transaction attached.
   */
  private static void followDispatch(HttpServerExchange exchange, TraceContext tx) {
    try {
      if (!exchange.isDispatched()) {
        return;
      }
      Executor executor = exchange.getDispatchExecutor();
      // a WhatapHandler further out already wrapped it for this exchange: wrap returns it unchanged
      exchange.setDispatchExecutor(CurrentContext.wrap(tx, executor != null ? executor : exchange.getConnection().getWorker()));
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("undertow-dispatch", "a dispatched Undertow task runs without its transaction", e);
    }
  }
}
