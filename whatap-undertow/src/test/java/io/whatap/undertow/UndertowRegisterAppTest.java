package io.whatap.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.BlockingHandler;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code Whatap.registerApp}, {@code wrap} and {@code wrapper()} on Undertow handlers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UndertowRegisterAppTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private UdpTestReceiver receiver;
  private UndertowTestServer server;
  private HttpClient client;

  private final HttpHandler app = ex -> {
    Whatap.currentTransaction().message("app", String.valueOf(WhatapHandler.current(ex).txid()),
        Thread.currentThread().getName());
    ex.getResponseSender().send("app");
  };

  @BeforeAll
  void start() {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    Whatap.configure(options);
    HttpHandler routes = Handlers.routing()
        .get("/registered/{id}", Whatap.registerApp(app))
        // traced twice over: outside and inside a BlockingHandler that moves the exchange to a worker
        .get("/nested", WhatapHandler.wrapper().wrap(new BlockingHandler(WhatapHandler.wrap(app))));
    server = UndertowTestServer.start(1, routes);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  void stop() {
    try {
      server.close();
    } finally {
      receiver.close();
    }
  }

  @BeforeEach
  void clear() {
    receiver.clear();
  }

  private void get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(WAIT).build();
    assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("app");
  }

  @Test
  void registeringOrWrappingATracedHandlerAgainReturnsIt() {
    HttpHandler traced = Whatap.registerApp(app);
    assertThat(traced).isInstanceOf(WhatapHandler.class);
    assertThat(Whatap.registerApp(traced)).isSameAs(traced);
    assertThat(WhatapHandler.wrap(traced)).isSameAs(traced);
    assertThat(WhatapHandler.wrapper().wrap(traced)).isSameAs(traced);
  }

  @Test
  void aRegisteredHandlerTracesItsExchangesUnderTheRouteTemplate() throws Exception {
    get("/registered/5");
    ReceivedTx tx = receiver.awaitTransaction("/registered/{id}", WAIT);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(appMessages(tx)).singleElement().satisfies(m ->
        assertThat(m.value()).as("the exchange holds the same transaction").isEqualTo(String.valueOf(tx.txid())));
  }

  @Test
  void twoTracingHandlersOnOneExchangeMakeOneTransaction() throws Exception {
    get("/nested");
    get("/registered/6");
    receiver.awaitTransaction("/registered/{id}", WAIT); // ended after /nested: a second /nested would be here
    assertThat(receiver.completed()).filteredOn(tx -> tx.uri().equals("/nested")).singleElement()
        .satisfies(tx -> assertThat(appMessages(tx)).singleElement()
            .satisfies(m -> assertThat(m.description()).as("ran on a worker").contains("task")));
  }

  private static List<TxMsgPack> appMessages(ReceivedTx tx) {
    return tx.steps(TxMsgPack.class).stream().filter(m -> m.title().equals("app")).collect(Collectors.toList());
  }
}
