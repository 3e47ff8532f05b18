package io.whatap.jdkhttp;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.testing.HttpClientConformanceTest;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxHttpcPack;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The client suite for {@code Whatap.httpClient(HttpClient)}, send and sendAsync. */
class JdkHttpClientTest extends HttpClientConformanceTest {
  private HttpClient plain;
  private HttpClient traced;

  @Override
  protected String driver() {
    return "java.net.http";
  }

  @Override
  protected void startClient() {
    plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
    traced = Whatap.httpClient(plain);
  }

  @Override
  protected void stopClient() { }

  private static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build();
  }

  @Override
  protected int call(String url) throws Exception {
    return traced.send(get(url), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  protected int callUntraced(String url) throws Exception {
    return plain.send(get(url), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Override
  protected CompletableFuture<Integer> callAsync(String url) {
    return traced.sendAsync(get(url), HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::statusCode);
  }

  @Test
  void wrappingTwiceReturnsTheTracedClientAndTheSettingsAreTheWrappedOnes() {
    assertThat(Whatap.httpClient(traced)).isSameAs(traced);
    assertThat(traced.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
    assertThat(traced.connectTimeout()).contains(WAIT);
    assertThat(traced.followRedirects()).isEqualTo(plain.followRedirects());
  }

  /**
   * The request a traced call sends is the application's, the headers added: method, body, its own
   * headers and version reach the server; a header of the same name as ours (any case) is replaced
   * once, not sent twice.
   */
  @Test
  void theSentRequestIsTheApplicationsWithTheHeadersAdded() throws Exception {
    HttpServer echo = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    echo.createContext("/", ex -> {
      String seen = ex.getRequestMethod() + " " + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
          + " x-app=" + ex.getRequestHeaders().get("x-app") + " traceparent=" + ex.getRequestHeaders().get("traceparent")
          + " x-wtap-tx=" + ex.getRequestHeaders().get("x-wtap-tx");
      byte[] body = seen.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
    echo.start();
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + echo.getAddress().getPort() + "/echo"))
          .timeout(WAIT).header("X-App", "one").header("X-App", "two").header("TraceParent", "00-stale-stale-01")
          .POST(HttpRequest.BodyPublishers.ofString("payload")).build();
      Transaction tx = Whatap.startTransaction("/caller-echo");
      HttpResponse<String> response;
      try {
        response = traced.send(request, HttpResponse.BodyHandlers.ofString());
      } finally {
        tx.end();
      }
      assertThat(response.request().headers().map()).as(response.body()).containsKeys("traceparent", "x-wtap-tx");
      String traceparent = response.request().headers().firstValue("traceparent").orElseThrow();
      String calleeTxid = response.request().headers().firstValue("x-wtap-tx").orElseThrow();
      assertThat(traceparent).doesNotContain("stale");
      assertThat(response.body()).isEqualTo("POST payload x-app=[one, two] traceparent=[" + traceparent
          + "] x-wtap-tx=[" + calleeTxid + "]");
      assertThat(request.headers().map()).doesNotContainKey("x-wtap-tx");
    } finally {
      echo.stop(0);
    }
  }

  /**
   * A header name the JDK client restricts ({@code mtrace_callee_key=host}): the call goes out
   * without the headers instead of failing, and is still recorded.
   */
  @Test
  void headersTheClientRefusesAreDroppedAndTheCallStillGoesOut() throws Exception {
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    options.put("mtrace_callee_key", "host");
    Whatap.configure(options);
    try {
      Transaction tx = Whatap.startTransaction("/caller-refused");
      int sync;
      int async;
      try {
        sync = call(base + "/callee");
        async = callAsync(base + "/callee").get();
      } finally {
        tx.end();
      }
      assertThat(sync).isEqualTo(200);
      assertThat(async).isEqualTo(200);
      assertThat(receiver.awaitTransaction("/caller-refused", WAIT).steps(TxHttpcPack.class)).hasSize(2);
    } finally {
      options.put("mtrace_callee_key", "x-wtap-tx");
      options.put("mtrace_spec", "caller-spec");
      Whatap.configure(options);
    }
  }

  /**
   * A callee that accepts and never answers: the request's timeout is the step and the transaction's
   * error, and the application gets the JDK's {@code HttpTimeoutException} as without the agent.
   */
  @Test
  void aTimeoutIsTheStepAndTheErrorAndTheApplicationGetsItsUsualException() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try (Socket held = silent.accept()) {
          held.getInputStream().readAllBytes(); // holds the connection open, answers nothing
        } catch (java.io.IOException e) {
          // the test closed the socket
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      String url = "http://127.0.0.1:" + silent.getLocalPort() + "/silent";
      HttpRequest request = HttpRequest.newBuilder(URI.create(url + "?q=1")).timeout(Duration.ofMillis(300)).build();
      Transaction tx = Whatap.startTransaction("/caller-timeout");
      Throwable thrown = null;
      try {
        traced.send(request, HttpResponse.BodyHandlers.discarding());
      } catch (HttpTimeoutException e) {
        thrown = e;
      } finally {
        tx.end();
      }
      assertThat(thrown).isInstanceOf(HttpTimeoutException.class);
      String exceptionClass = thrown.getClass().getName();
      var caller = receiver.awaitTransaction("/caller-timeout", WAIT);
      assertThat(caller.steps(TxHttpcPack.class)).singleElement().satisfies(step -> assertThat(step.url()).isEqualTo(url));
      assertThat(caller.steps(TxErrorPack.class)).singleElement()
          .satisfies(e -> assertThat(e.errorClass()).isEqualTo(exceptionClass));
    }
  }
}
