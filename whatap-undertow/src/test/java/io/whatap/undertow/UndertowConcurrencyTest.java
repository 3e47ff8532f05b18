package io.whatap.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxMsgPack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + "/step?id=" + i)).timeout(WAIT).build();
      responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < REQUESTS; i++) {
      assertThat(responses.get(i).get().body()).isEqualTo(String.valueOf(i));
    }
    List<ReceivedTx> done = receiver.awaitCompleted(REQUESTS, WAIT);
    assertThat(done).hasSize(REQUESTS);
    Set<String> ids = new HashSet<>();
    Set<String> ioThreads = new HashSet<>();
    for (ReceivedTx tx : done) {
      List<TxMsgPack> messages = tx.steps(TxMsgPack.class);
      TxMsgPack start = only(messages, "start", tx);
      TxMsgPack step = only(messages, "step", tx);
      assertThat(step.value()).as("the step of %s", tx).isEqualTo(start.value());
      ids.add(start.value());
      ioThreads.add(start.description());
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(
        IntStream.range(0, REQUESTS).mapToObj(String::valueOf).collect(Collectors.toList()));
    assertThat(ioThreads).as("requests were served on two IO threads").hasSize(2)
        .allSatisfy(name -> assertThat(name).contains("I/O"));
    assertThat(appExecutor.submit(() -> Whatap.currentTransaction().txid()).get(10, TimeUnit.SECONDS))
        .as("the application's pooled thread keeps no transaction").isZero();
  }

  private static TxMsgPack only(List<TxMsgPack> messages, String title, ReceivedTx tx) {
    List<TxMsgPack> found = messages.stream().filter(m -> m.title().equals(title)).collect(Collectors.toList());
    assertThat(found).as("%s messages of %s", title, tx).hasSize(1);
    return found.get(0);
  }
}
