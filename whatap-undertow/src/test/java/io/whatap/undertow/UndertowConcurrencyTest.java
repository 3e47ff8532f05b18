package io.whatap.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.whatap.Whatap;
import io.whatap.testing.InterleavedSteps;
import io.whatap.testing.UdpTestReceiver;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Many exchanges in flight at once on two IO threads, each recording a step after a hop to a
 * worker, to an application executor, or to a scheduler: every step must land in its own
 * request's transaction, and no pooled thread keeps a transaction afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UndertowConcurrencyTest {
  private static final int REQUESTS = 500;
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService appExecutor = Executors.newSingleThreadExecutor();
  private UdpTestReceiver receiver;
  private UndertowTestServer server;

  @BeforeAll
  void start() {
    receiver = new UdpTestReceiver(16 * 1024 * 1024);
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    Whatap.configure(options);
    server = UndertowTestServer.start(2, WhatapHandler.wrap(this::step));
  }

  @AfterAll
  void stop() {
    try {
      server.close();
    } finally {
      scheduler.shutdownNow();
      appExecutor.shutdownNow();
      receiver.close();
    }
  }

  private void step(HttpServerExchange ex) {
    String id = ex.getQueryParameters().get("id").getFirst();
    Whatap.currentTransaction().message("start", id, Thread.currentThread().getName());
    Runnable finish = () -> {
      Whatap.currentTransaction().message("step", id, Thread.currentThread().getName());
      ex.getResponseSender().send(id);
    };
    switch (Integer.parseInt(id) % 3) {
      case 0:
        ex.dispatch(finish); // the XNIO worker
        break;
      case 1:
        ex.dispatch(appExecutor, finish);
        break;
      default:
        ex.dispatch(SameThreadExecutor.INSTANCE,
            () -> scheduler.schedule(Whatap.wrap(finish), 1 + Integer.parseInt(id) % 5, TimeUnit.MILLISECONDS));
    }
  }

  @Test
  void everyStepAfterAnAsyncHopLandsInItsOwnRequestsTransaction() throws Exception {
    Set<String> ioThreads = InterleavedSteps.assertEachStepInItsOwnTransaction(server.base(), REQUESTS, receiver, WAIT);
    assertThat(ioThreads).as("requests were served on two IO threads").hasSize(2)
        .allSatisfy(name -> assertThat(name).contains("I/O"));
    assertThat(appExecutor.submit(() -> Whatap.currentTransaction().txid()).get(10, TimeUnit.SECONDS))
        .as("the application's pooled thread keeps no transaction").isZero();
  }

}
