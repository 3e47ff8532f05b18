package io.whatap.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
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
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** {@code Whatap.registerApp} on Vert.x handlers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VertxRegisterAppTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private UdpTestReceiver receiver;
  private VertxTestServer server;
  private HttpClient client;

  private final Handler<RoutingContext> app = rc -> {
    Whatap.currentTransaction().message("app", String.valueOf(WhatapVertx.current(rc).txid()), "");
    rc.response().end("app");
  };

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
  void clear() {
    receiver.clear();
  }

  private Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.get("/wrapped/:id").handler(Whatap.registerApp(app));
    router.get("/both").handler(WhatapHandler.create(vertx)).handler(Whatap.registerApp(app));
    Router api = Router.router(vertx);
    api.get("/items/:id").handler(Whatap.registerApp(app));
    router.route("/api/*").subRouter(api);
    return router;
  }

  private void get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(WAIT).build();
    assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("app");
  }

  @Test
  void registeringATracedHandlerAgainReturnsIt() {
    Handler<RoutingContext> traced = Whatap.registerApp(app);
    assertThat(traced).isNotSameAs(app);
    assertThat(Whatap.registerApp(traced)).isSameAs(traced);
    WhatapHandler handler = WhatapHandler.create(server.vertx);
    assertThat(Whatap.registerApp(handler)).isSameAs(handler);
  }

  @Test
  void aRegisteredHandlerTracesItsRequestsUnderTheRouteTemplate() throws Exception {
    get("/wrapped/5");
    ReceivedTx tx = receiver.awaitTransaction("/wrapped/:id", WAIT);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(appMessages(tx)).singleElement().satisfies(m ->
        assertThat(m.value()).as("the routing context holds the same transaction").isEqualTo(String.valueOf(tx.txid())));
  }

  @Test
  void inASubRouterTheNameCarriesTheMountPoint() throws Exception {
    get("/api/items/7");
    assertThat(receiver.awaitTransaction("/api/items/:id", WAIT).status()).isEqualTo(200);
  }

  @Test
  void aRequestThroughWhatapHandlerAndARegisteredHandlerIsOneTransaction() throws Exception {
    get("/both");
    get("/wrapped/6");
    receiver.awaitTransaction("/wrapped/:id", WAIT); // ended after /both: a second /both would be here by now
    assertThat(receiver.completed()).filteredOn(tx -> tx.uri().equals("/both")).singleElement()
        .satisfies(tx -> assertThat(appMessages(tx)).hasSize(1));
  }

  private static List<TxMsgPack> appMessages(ReceivedTx tx) {
    return tx.steps(TxMsgPack.class).stream().filter(m -> m.title().equals("app")).collect(Collectors.toList());
  }

  @Test
  void eventsOtherThanRoutingContextsPassThroughUntraced() {
    List<String> seen = new ArrayList<>();
    Handler<String> plain = s -> seen.add(s + " " + Whatap.currentTransaction().txid());
    Handler<String> traced = Whatap.registerApp(plain);
    traced.handle("event");
    assertThat(seen).containsExactly("event 0");
  }
}
