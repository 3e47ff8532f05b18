package io.whatap.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.whatap.Whatap;
import io.whatap.testing.InterleavedSteps;
import io.whatap.testing.UdpTestReceiver;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Many requests in flight at once on two event loops, each recording a step after an async hop
 * (timer, executeBlocking, future chain): every step must land in its own request's transaction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VertxConcurrencyTest {
  private static final int REQUESTS = 500;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private UdpTestReceiver receiver;
  private VertxTestServer server;

  @BeforeAll
  void start() throws Exception {
    receiver = new UdpTestReceiver(16 * 1024 * 1024);
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    Whatap.configure(options);
    server = VertxTestServer.start(2, this::routes);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      server.close();
    } finally {
      receiver.close();
    }
  }

  private Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().order(-1).handler(WhatapHandler.create(vertx));
    router.get("/step").handler(this::step);
    return router;
  }

  private void step(RoutingContext rc) {
    String id = rc.queryParams().get("id");
    Whatap.currentTransaction().message("start", id, Thread.currentThread().getName());
    Vertx vertx = rc.vertx();
    switch (Integer.parseInt(id) % 3) {
      case 0:
        vertx.setTimer(1 + Integer.parseInt(id) % 7, t -> {
          Whatap.currentTransaction().message("step", id, "timer");
          rc.response().end(id);
        });
        break;
      case 1:
        vertx.executeBlocking(() -> {
          WhatapVertx.current().message("step", id, "executeBlocking");
          return id;
        }).onSuccess(body -> rc.response().end(body));
        break;
      default:
        Future<Void> later = Future.future(p -> vertx.setTimer(1 + Integer.parseInt(id) % 5, t -> p.complete()));
        later.compose(v -> vertx.executeBlocking(() -> id)).onSuccess(body -> {
          Whatap.currentTransaction().message("step", body, "future");
          rc.response().end(body);
        });
    }
  }

  @Test
  void everyStepAfterAnAsyncHopLandsInItsOwnRequestsTransaction() throws Exception {
    Set<String> eventLoops = InterleavedSteps.assertEachStepInItsOwnTransaction(server.base(), REQUESTS, receiver, WAIT);
    assertThat(eventLoops).as("requests were served on two event loops").hasSize(2)
        .allSatisfy(name -> assertThat(name).startsWith("vert.x-eventloop-thread"));
  }

}
