package io.whatap.vertx;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;

/**
 * The request's transaction in Vert.x code. {@link WhatapHandler} keeps it in three places:
 *
 * <ul>
 *   <li>attached to the thread while the router runs the request's handlers
 *       ({@code ctx.next()}), so {@code Whatap.currentTransaction()} works in synchronous code;
 *   <li>in the request's Vert.x context (each request has a duplicated context of its own), so
 *       timers, {@code executeBlocking} tasks and future callbacks started for the request see it
 *       too, through {@code Whatap.currentTransaction()} or {@link #current()}, on the event loop
 *       or on a worker thread;
 *   <li>in the routing context under {@link #TRANSACTION_KEY} ({@link #current(RoutingContext)}).
 * </ul>
 *
 * Code that runs on another context (an event-bus consumer of another verticle) or on a thread
 * of its own (a JDK executor) sees nothing unless it was {@linkplain #wrap wrapped} where the
 * transaction was current.
 */
public final class WhatapVertx {
  /** The routing-context key under which the request's {@link Transaction} is kept. */
  public static final String TRANSACTION_KEY = "whatap.transaction";

  private WhatapVertx() { }

  /**
   * Registers the agent's Vert.x context slot. Calling it before the first {@code Vertx} is
   * created is required on Vert.x 5 for async callbacks to see the request's transaction, and
   * saves a map allocation per request on Vert.x 4 (which otherwise uses the context's local map).
   */
  public static void init() {
    VertxContextStore.init();
  }

  /** The request's transaction for the calling code (see the class comment), or {@link Transaction#NOOP}. */
  public static Transaction current() {
    return Whatap.asTransaction(CurrentContext.get());
  }

  /** The transaction of the request served on the Vert.x context {@code context}, or {@link Transaction#NOOP}. */
  public static Transaction current(Context context) {
    return Whatap.asTransaction(context == null ? null : VertxContextStore.get(context));
  }

  /** The transaction of the request {@code rc} routes, or {@link Transaction#NOOP}. */
  public static Transaction current(RoutingContext rc) {
    Object tx = rc == null ? null : rc.get(TRANSACTION_KEY);
    return tx instanceof TraceContext ? Whatap.asTransaction((TraceContext) tx) : Transaction.NOOP;
  }

  /**
   * A handler that runs {@code handler} with the transaction current here, on whatever thread or
   * context it later runs; {@code handler} itself when no transaction is current.
   */
  public static <T> Handler<T> wrap(Handler<T> handler) {
    TraceContext captured = CurrentContext.get();
    if (captured == null) {
      return handler;
    }
    return event -> CurrentContext.run(captured, Handler::handle, handler, event);
  }
}
