package io.whatap.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.whatap.Whatap;
import io.whatap.testing.HttpServerConformanceTest;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxHttpcPack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite against the JDK's built-in HttpServer with the handler traced by
 * {@code Whatap.registerApp}. The JDK server has no error page and no async timeout of its own:
 * the outer handler below answers 500 for an exception the way a framework would, and
 * /async-timeout's timeout is a scheduled task answering the timeout status.
 */
class JdkHttpServerConformanceTest extends HttpServerConformanceTest {
  private HttpServer server;
  private ExecutorService pool;
  private ScheduledExecutorService timer;
  private HttpHandler traced;

  @Override
  protected String startServer() throws IOException {
    pool = Executors.newCachedThreadPool();
    timer = Executors.newSingleThreadScheduledExecutor();
    HttpHandler routes = this::route;
    traced = Whatap.registerApp(routes);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(pool);
    server.createContext("/", exchange -> {
      try {
        traced.handle(exchange);
      } catch (IOException | RuntimeException e) {
        if (exchange.getResponseCode() == -1) {
          exchange.sendResponseHeaders(500, -1);
        }
        exchange.close();
      }
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  protected void stopServer() {
    server.stop(0);
    pool.shutdownNow();
    timer.shutdownNow();
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    switch (path) {
      case "/hello":
      case "/health":
        respond(ex, 200, "hello");
        return;
      case "/boom":
        throw new IllegalStateException("boom");
      case "/unavailable":
        respond(ex, 503, "down");
        return;
      case "/redirect":
        ex.getResponseHeaders().set("Location", "/hello");
        ex.sendResponseHeaders(302, -1);
        ex.close();
        return;
      case "/echo":
        try (InputStream in = ex.getRequestBody()) {
          respond(ex, 200, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        return;
      case "/httpc":
        Whatap.httpCall("https://svc-user:svc-pw@api.example:8443/v1/orders?api_key=call-s3cret#frag",
            System.currentTimeMillis(), 3, 200);
        respond(ex, 200, "called");
        return;
      case "/sql":
        Whatap.currentTransaction().sql("jdbc:test", "select 1", System.currentTimeMillis(), 1, 1);
        respond(ex, 200, "sql");
        return;
      case "/slow":
        pause(Long.parseLong(ex.getRequestURI().getQuery().substring("ms=".length())));
        respond(ex, 200, "slow");
        return;
      case "/async":
        timer.schedule(Whatap.wrap(() -> {
          Whatap.currentTransaction().message("async", "hop", "");
          respondQuietly(ex, 200, "async");
        }), 50, TimeUnit.MILLISECONDS);
        return;
      case "/async-timeout":
        timer.schedule(() -> respondQuietly(ex, asyncTimeoutStatus(), ""), asyncTimeoutMs(), TimeUnit.MILLISECONDS);
        return;
      case "/no-content":
        ex.sendResponseHeaders(204, -1); // finished by the server; the handler never closes
        return;
      case "/empty":
        ex.sendResponseHeaders(200, -1);
        return;
      case "/exchange-close":
        ex.sendResponseHeaders(200, 2);
        ex.getResponseBody().write("ok".getBytes(StandardCharsets.UTF_8));
        ex.close();
        return;
      default:
        if (path.startsWith("/users/")) {
          respond(ex, 200, "user " + path.substring("/users/".length()));
        } else {
          respond(ex, 404, "not found");
        }
    }
  }

  private static void respond(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  private static void respondQuietly(HttpExchange ex, int status, String body) {
    try {
      respond(ex, status, body);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms); // the route's contract: answer after ms
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void registerAppReturnsTheTracedHandlerOnceAndKnowsTheJdkType() {
    assertThat(traced).isInstanceOf(WhatapHttpHandler.class);
    assertThat(Whatap.registerApp(traced)).as("wrapping twice does not trace twice").isSameAs(traced);
    assertThatThrownBy(() -> Whatap.registerApp(new StringBuilder("not a handler")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.StringBuilder")
        .hasMessageContaining("com.sun.net.httpserver.HttpHandler");
  }

  @Test
  void aResponseWithoutBodyEndsWhenTheHandlerReturns() throws Exception {
    assertThat(get("/no-content").statusCode()).isEqualTo(204);
    ReceivedTx noContent = tx("/no-content");
    assertThat(noContent.status()).isEqualTo(204);
    assertThat(noContent.steps(TxErrorPack.class)).isEmpty();

    assertThat(get("/empty").statusCode()).isEqualTo(200);
    assertThat(tx("/empty").status()).isEqualTo(200);
  }

  @Test
  void aHeadRequestEndsWhenTheHandlerReturns() throws Exception {
    HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(base + "/empty")).timeout(WAIT)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertThat(r.statusCode()).isEqualTo(200);
    ReceivedTx tx = tx("/empty");
    assertThat(tx.start().httpMethod()).isEqualTo("HEAD");
    assertThat(tx.status()).isEqualTo(200);
  }

  /** An outgoing call's URL follows the request URL's rule: no query, fragment or user info leaves the process. */
  @Test
  void theUrlOfAnOutgoingCallIsSentWithoutItsQueryAndUserInfo() throws Exception {
    get("/httpc");
    ReceivedTx tx = tx("/httpc");
    assertThat(tx.steps(TxHttpcPack.class)).singleElement()
        .satisfies(c -> assertThat(c.url()).isEqualTo("https://api.example:8443/v1/orders"));
    assertThat(receiver.packs().toString()).doesNotContain("s3cret").doesNotContain("svc-pw");
  }

  @Test
  void closingTheExchangeEndsTheTransaction() throws Exception {
    HttpResponse<String> r = get("/exchange-close");
    assertThat(r.body()).isEqualTo("ok");
    assertThat(tx("/exchange-close").status()).isEqualTo(200);
  }
}
