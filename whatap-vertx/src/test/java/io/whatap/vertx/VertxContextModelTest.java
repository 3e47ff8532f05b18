package io.whatap.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxMsgPack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the request's transaction is visible on Vert.x, with each of the two mechanisms that keep
 * it in the request's context, and where it must not be visible.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VertxContextModelTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private UdpTestReceiver receiver;
  private VertxTestServer server;
  private HttpClient client;
  private int modeBefore;
  private volatile CompletableFuture<Long> afterTheResponse = new CompletableFuture<>();

  @BeforeAll
  void start() throws Exception {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    Whatap.configure(options);
    server = VertxTestServer.start(1, this::routes);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      server.close();
    } finally {
      receiver.close();
    }
  }

  @BeforeEach
  void rememberMode() {
    modeBefore = VertxContextStore.mode();
    receiver.clear();
  }

  @AfterEach
  void restoreMode() {
    VertxContextStore.mode(modeBefore);
  }

  private Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().order(-1).handler(WhatapHandler.create(vertx));
    router.get("/hops").handler(rc -> {
      Context requestContext = Vertx.currentContext();
      rc.vertx().setTimer(5, t -> {
        Whatap.currentTransaction().message("timer", "", "");
        rc.vertx().executeBlocking(() -> {
          Whatap.currentTransaction().message("worker", "", "");
          WhatapVertx.current(requestContext).message("by-context", "", "");
          return "hops";
        }).onSuccess(body -> rc.response().end(body));
      });
    });
    router.get("/late").handler(rc -> {
      rc.response().end("early");
      rc.vertx().setTimer(20, t -> afterTheResponse.complete(Whatap.currentTransaction().txid()));
    });
    return router;
  }

  private String get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(WAIT).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @ParameterizedTest(name = "mode {0}")
  @ValueSource(ints = {VertxContextStore.CONTEXT_LOCAL, VertxContextStore.LOCAL_MAP})
  void timersAndWorkersSeeTheRequestsTransaction(int mode) throws Exception {
    assumeThat(mode != VertxContextStore.LOCAL_MAP || VertxTestServer.vertx4())
        .as("Vert.x 5 has no context local map").isTrue();
    VertxContextStore.mode(mode);
    assertThat(get("/hops")).isEqualTo("hops");
    ReceivedTx tx = receiver.awaitTransaction("/hops", WAIT);
    assertThat(tx.steps(TxMsgPack.class)).extracting(TxMsgPack::title)
        .filteredOn(title -> !title.equals("HTTP-HEADERS")) // captured when an earlier test class enabled it
        .containsExactlyInAnyOrder("timer", "worker", "by-context");
  }

  @Test
  void aCallbackThatRunsAfterTheResponseSeesNoTransaction() throws Exception {
    afterTheResponse = new CompletableFuture<>();
    assertThat(get("/late")).isEqualTo("early");
    assertThat(afterTheResponse.get(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void otherWorkOnTheEventLoopSeesNoTransaction() throws Exception {
    get("/hops");
    CompletableFuture<Long> seen = new CompletableFuture<>();
    server.vertx.getOrCreateContext().runOnContext(v -> seen.complete(Whatap.currentTransaction().txid()));
    assertThat(seen.get(10, TimeUnit.SECONDS)).isZero();
  }
}
