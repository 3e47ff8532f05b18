package io.whatap.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.whatap.Whatap;
import io.whatap.testing.HttpServerConformanceTest;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMsgPack;
import io.whatap.wire.TxParamPack;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shared conformance suite on a Vert.x Web router, plus what only Vert.x has. */
class VertxConformanceTest extends HttpServerConformanceTest {
  private VertxTestServer server;

  @Override
  protected String startServer() throws Exception {
    server = VertxTestServer.start(2, this::routes);
    return server.base();
  }

  @Override
  protected void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected String userRouteName() {
    return "/users/:id";
  }

  @Override
  protected int asyncTimeoutStatus() {
    return 503;
  }

  /** The routes of the suite; whatap-it-vthreads serves them from virtual-thread verticles. */
  Router routes(Vertx vertx) {
    Router router = Router.router(vertx);
    router.route().order(-1).handler(WhatapHandler.create(vertx));
    // BodyHandler resumes the chain asynchronously for requests with a body (POST /echo)
    router.route().handler(BodyHandler.create(false));
    router.get("/hello").handler(rc -> rc.response().end("hello"));
    router.get("/boom").handler(rc -> {
      throw new IllegalStateException("boom");
    });
    router.get("/unavailable").handler(rc -> rc.response().setStatusCode(503).end("down"));
    router.get("/redirect").handler(rc -> rc.response().setStatusCode(302).putHeader("Location", "/hello").end());
    router.get("/users/:id").handler(rc -> rc.response().end("user " + rc.pathParam("id")));
    router.post("/echo").handler(rc -> {
      Whatap.currentTransaction().message("echo", "after the body", "");
      rc.response().end(rc.body().asString());
    });
    router.get("/sql").handler(rc -> {
      Whatap.currentTransaction().sql("jdbc:test", "select 1", System.currentTimeMillis(), 1, 1);
      rc.response().end("sql");
    });
    router.get("/slow").handler(rc -> slow(rc, Long.parseLong(rc.queryParams().get("ms"))));
    router.get("/async").handler(rc -> rc.vertx().setTimer(50, t -> rc.vertx().executeBlocking(() -> {
      Whatap.currentTransaction().message("async", "hop", "");
      return "async";
    }).onSuccess(body -> rc.response().end(body))));
    router.get("/async-timeout").handler(TimeoutHandler.create(asyncTimeoutMs(), asyncTimeoutStatus()))
        .handler(rc -> { /* never answers: the timeout does */ });
    router.get("/health").handler(rc -> rc.response().end("ok"));
    router.get("/stream").handler(rc -> {
      HttpServerResponse response = rc.response().setChunked(true);
      response.write("a");
      rc.vertx().setTimer(30, t1 -> {
        Whatap.currentTransaction().message("chunk", "b", "");
        response.write("b");
        rc.vertx().setTimer(30, t2 -> response.end("c"));
      });
    });
    router.get("/blocking").handler(rc -> rc.vertx().executeBlocking(() -> {
      Whatap.currentTransaction().message("blocking", Thread.currentThread().getName(), "");
      return "blocking";
    }).onSuccess(body -> rc.response().end(body)));
    router.get("/failing").handler(rc -> rc.fail(new IllegalArgumentException("bad input")))
        .failureHandler(rc -> rc.response().setStatusCode(422).end("handled"));
    router.get("/hang").handler(rc -> { /* never answers: the client goes away */ });
    router.get("/reroute").handler(rc -> rc.reroute("/rerouted"));
    router.get("/rerouted").handler(rc -> rc.response().end("rerouted"));
    return router;
  }

  @Test
  void aChunkedResponseEndsWithItsLastChunk() throws Exception {
    HttpResponse<String> r = get("/stream");
    assertThat(r.body()).isEqualTo("abc");
    assertThat(r.headers().firstValue("transfer-encoding")).hasValue("chunked");
    ReceivedTx tx = tx("/stream");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.elapsedMs()).isGreaterThanOrEqualTo(55);
    assertThat(tx.steps(TxMsgPack.class)).anySatisfy(m -> assertThat(m.title()).isEqualTo("chunk"));
  }

  /**
   * GET /slow: answers after {@code ms} without holding the event loop (a timer). A virtual-thread
   * verticle waits on its own virtual thread instead, as such handlers are written.
   */
  protected void slow(RoutingContext rc, long ms) {
    rc.vertx().setTimer(ms, t -> rc.response().end("slow"));
  }

  /** Where executeBlocking runs: Vert.x's worker pool, or a virtual thread for a virtual-thread verticle. */
  protected String blockingThreadPrefix() {
    return "vert.x-worker-thread";
  }

  @Test
  void executeBlockingSeesTheRequestsTransactionOnAWorkerThread() throws Exception {
    assertThat(get("/blocking").body()).isEqualTo("blocking");
    ReceivedTx tx = tx("/blocking");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.steps(TxMsgPack.class)).anySatisfy(m -> {
      assertThat(m.title()).isEqualTo("blocking");
      assertThat(m.value()).startsWith(blockingThreadPrefix());
    });
  }

  @Test
  void handlersResumedAfterTheBodyArrivedSeeTheTransaction() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/echo")).timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofString("payload")).build();
    assertThat(client.send(req, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("payload");
    assertThat(tx("/echo").steps(TxMsgPack.class)).anySatisfy(m -> assertThat(m.title()).isEqualTo("echo"));
  }

  @Test
  void aReroutedRequestIsOneTransactionNamedAfterTheRouteThatAnswered() throws Exception {
    assertThat(get("/reroute").body()).isEqualTo("rerouted");
    assertThat(tx("/rerouted").status()).isEqualTo(200);
    assertThat(get("/hello").body()).isEqualTo("hello");
    tx("/hello"); // ends after the rerouted request: a second transaction for it would be in by now
    assertThat(receiver.completed()).filteredOn(t -> t.uri().startsWith("/reroute")).hasSize(1);
  }

  @Test
  void aFailureHandlersStatusAndTheFailureAreRecorded() throws Exception {
    HttpResponse<String> r = get("/failing");
    assertThat(r.statusCode()).isEqualTo(422);
    ReceivedTx tx = tx("/failing");
    assertThat(tx.status()).isEqualTo(422);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("java.lang.IllegalArgumentException");
      assertThat(e.message()).isEqualTo("bad input");
    });
  }

  @Test
  void aConnectionClosedBeforeTheResponseEndsTheTransactionWithAnError() throws Exception {
    get("/hello");
    tx("/hello"); // the app has sent a datagram: its back-channel address is known
    URI u = URI.create(base);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
      OutputStream out = s.getOutputStream();
      out.write("GET /hang HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      awaitActive("GET /hang");
    }
    ReceivedTx tx = tx("/hang");
    assertThat(tx.status()).isEqualTo(VertxTracing.CLIENT_CLOSED);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("ConnectionClosed");
      assertThat(e.message()).isEqualTo("connection closed before the response ended");
    });
  }

  /** Waits until the back channel lists a running transaction ending with {@code methodAndName}. */
  private void awaitActive(String methodAndName) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (int n = 0; ; n++) {
      String id = String.valueOf(5000 + n);
      receiver.sendText("25," + id + ",", receiver.lastSender());
      TxParamPack list = receiver.awaitPack(TxParamPack.class, p -> p.requestId().equals(id), WAIT);
      if (list.data().contains(" " + methodAndName)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(methodAndName + " never showed as active: " + list.data());
      }
    }
  }
}
