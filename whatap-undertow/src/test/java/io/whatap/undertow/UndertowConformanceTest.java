package io.whatap.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.Handlers;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.whatap.Whatap;
import io.whatap.testing.HttpServerConformanceTest;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMsgPack;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shared conformance suite on Undertow's RoutingHandler: routes answer on the IO thread
 * (/hello), from a dispatched worker task (/blocking, /slow) or later from another executor
 * (/async, /echo, /async-timeout).
 */
class UndertowConformanceTest extends HttpServerConformanceTest {
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private volatile CompletableFuture<Long> seenByIgnoredRequest = new CompletableFuture<>();
  private UndertowTestServer server;

  @Override
  protected String startServer() {
    server = UndertowTestServer.start(2, WhatapHandler.wrap(routes()));
    return server.base();
  }

  @Override
  protected void stopServer() {
    try {
      server.close();
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Override
  protected int asyncTimeoutStatus() {
    return 503;
  }

  private HttpHandler routes() {
    RoutingHandler routes = Handlers.routing();
    routes.get("/hello", ex -> ex.getResponseSender().send("hello"));
    routes.get("/boom", ex -> {
      throw new IllegalStateException("boom");
    });
    routes.get("/unavailable", ex -> {
      ex.setStatusCode(503);
      ex.getResponseSender().send("down");
    });
    routes.get("/redirect", ex -> {
      ex.setStatusCode(302);
      ex.getResponseHeaders().put(Headers.LOCATION, "/hello");
      ex.endExchange();
    });
    routes.get("/users/{id}", ex -> ex.getResponseSender().send("user " + ex.getQueryParameters().get("id").getFirst()));
    routes.post("/echo", ex -> ex.getRequestReceiver().receiveFullString((e, body) -> e.getResponseSender().send(body)));
    routes.get("/sql", ex -> {
      Whatap.currentTransaction().sql("jdbc:test", "select 1", System.currentTimeMillis(), 1, 1);
      ex.getResponseSender().send("sql");
    });
    routes.get("/slow", ex -> {
      long ms = Long.parseLong(ex.getQueryParameters().get("ms").getFirst());
      later(ex, ms, () -> ex.getResponseSender().send("slow"));
    });
    routes.get("/async", ex -> later(ex, 50, Whatap.wrap(() -> {
      Whatap.currentTransaction().message("async", "hop", "");
      ex.getResponseSender().send("async");
    })));
    routes.get("/async-timeout", ex -> later(ex, asyncTimeoutMs(), () -> {
      ex.setStatusCode(asyncTimeoutStatus());
      ex.endExchange();
    }));
    routes.get("/health", ex -> {
      seenByIgnoredRequest.complete(Whatap.currentTransaction().txid());
      ex.getResponseSender().send("ok");
    });
    routes.get("/blocking", new HttpHandler() {
      @Override
      public void handleRequest(HttpServerExchange ex) {
        if (ex.isInIoThread()) {
          ex.dispatch(this);
          return;
        }
        Whatap.currentTransaction().message("blocking", Thread.currentThread().getName(), "");
        ex.getResponseSender().send("blocking");
      }
    });
    routes.get("/dispatched-boom", ex -> ex.dispatch(worker -> {
      throw new IllegalArgumentException("from the worker");
    }));
    routes.get("/caught", Handlers.exceptionHandler(ex -> {
      throw new IllegalStateException("caught by the app");
    }).addExceptionHandler(Throwable.class, ex -> {
      ex.setStatusCode(500);
      ex.getResponseSender().send("caught");
    }));
    return routes;
  }

  /** Finishes the exchange from the scheduler thread {@code ms} later, as asynchronous code does. */
  private void later(HttpServerExchange ex, long ms, Runnable finish) {
    ex.dispatch(SameThreadExecutor.INSTANCE, () -> scheduler.schedule(finish, ms, TimeUnit.MILLISECONDS));
  }

  @Test
  void aDispatchedTaskSeesTheTransactionOnAWorkerThread() throws Exception {
    assertThat(get("/blocking").body()).isEqualTo("blocking");
    ReceivedTx tx = tx("/blocking");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.steps(TxMsgPack.class)).filteredOn(m -> m.title().equals("blocking")).singleElement()
        .satisfies(m -> assertThat(m.value()).contains("task"));
  }

  @Test
  void anExceptionInADispatchedTaskIsRecorded() throws Exception {
    assertThat(get("/dispatched-boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = tx("/dispatched-boom");
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("java.lang.IllegalArgumentException");
      assertThat(e.message()).isEqualTo("from the worker");
    });
  }

  @Test
  void anExceptionTheApplicationsExceptionHandlerAnsweredIsRecorded() throws Exception {
    HttpResponse<String> r = get("/caught");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("caught");
    assertThat(tx("/caught").steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.message()).isEqualTo("caught by the app");
    });
  }

  @Test
  void theIoThreadKeepsNoTransactionAfterARequest() throws Exception {
    seenByIgnoredRequest = new CompletableFuture<>();
    get("/hello");
    tx("/hello");
    get("/health"); // untraced, on the same keep-alive connection and so the same IO thread
    assertThat(seenByIgnoredRequest.get(10, TimeUnit.SECONDS)).isZero();
  }
}
