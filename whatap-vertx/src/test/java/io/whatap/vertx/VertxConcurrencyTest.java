package io.whatap.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
    Set<String> eventLoops = new HashSet<>();
    for (ReceivedTx tx : done) {
      List<TxMsgPack> messages = tx.steps(TxMsgPack.class);
      TxMsgPack start = only(messages, "start", tx);
      TxMsgPack step = only(messages, "step", tx);
      assertThat(step.value()).as("the step of %s", tx).isEqualTo(start.value());
      ids.add(start.value());
      eventLoops.add(start.description());
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(
        IntStream.range(0, REQUESTS).mapToObj(String::valueOf).collect(Collectors.toList()));
    assertThat(eventLoops).as("requests were served on two event loops").hasSize(2)
        .allSatisfy(name -> assertThat(name).startsWith("vert.x-eventloop-thread"));
  }

  private static TxMsgPack only(List<TxMsgPack> messages, String title, ReceivedTx tx) {
    List<TxMsgPack> found = messages.stream().filter(m -> m.title().equals(title)).collect(Collectors.toList());
    assertThat(found).as("%s messages of %s", title, tx).hasSize(1);
    return found.get(0);
  }
}
