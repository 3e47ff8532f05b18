package io.whatap.vertx;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.util.Objects;

/**
 * Traces every request a Vert.x Web router serves, as one WhaTap transaction each. Register it
 * before the other routes:
 *
 * <pre>{@code router.route().order(-1).handler(WhatapHandler.create(vertx));}</pre>
 *
 * The transaction ends when the response has been written (chunked and streamed responses
 * included), when the request fails (the failure and the status the client saw), or when the
 * connection closes first. It is named after the route template that answered
 * ({@code /users/:id}). The request's handlers see it through {@code Whatap.currentTransaction()},
 * including callbacks that run later on the request's Vert.x context: see {@link WhatapVertx}.
 *
 * <p>Under the javaagent, a copy the application bundles passes requests on: the javaagent's own
 * route on the router traces them (one agent, one transaction per request).
 */
public final class WhatapHandler implements Handler<RoutingContext> {
  private final VertxTracing tracing;

  private WhatapHandler(VertxTracing tracing) {
    this.tracing = tracing;
  }

  /** A handler for routers of {@code vertx}. */
  public static WhatapHandler create(Vertx vertx) {
    Objects.requireNonNull(vertx, "vertx");
    VertxTracing tracing = VertxTracing.create();
    if (!HttpServerTracing.javaagentTraces()) {
      VertxContextStore.probe(vertx.getOrCreateContext());
    }
    return new WhatapHandler(tracing);
  }

  @Override
  public void handle(RoutingContext rc) {
    TraceContext tx = tracing.enter(rc);
    if (tx == null) {
      rc.next();
      return;
    }
    CurrentContext.run(tx, (r, unused) -> r.next(), rc, null);
  }
}
