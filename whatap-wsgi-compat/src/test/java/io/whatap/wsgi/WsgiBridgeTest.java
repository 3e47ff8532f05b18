package io.whatap.wsgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMsgPack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The seed's WSGI example and the WSGI failure cases on the JDK-server bridge, each application
 * traced with {@code Whatap.registerApp} and mounted on its own context of one server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WsgiBridgeTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final List<Map.Entry<String, String>> TEXT = List.of(Map.entry("Content-Type", "text/plain"));

  /** The seed's simple_app, in Java. */
  static final WsgiApp SIMPLE_APP = (environ, startResponse) -> {
    startResponse.accept("200 OK", List.of(Map.entry("Content-type", "text/plain")));
    return List.of("Hello world!\n");
  };

  private UdpTestReceiver receiver;
  private HttpServer server;
  private ExecutorService pool;
  private HttpClient client;
  private String base;
  private final AtomicInteger closes = new AtomicInteger();
  private volatile Map<String, Object> lastEnviron;

  @BeforeAll
  void start() throws IOException {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    Whatap.configure(options);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    pool = Executors.newCachedThreadPool();
    server.setExecutor(pool);
    mount("/", SIMPLE_APP);
    mount("/environ", (environ, sr) -> {
      lastEnviron = new TreeMap<>(environ);
      sr.accept("200 OK", TEXT);
      return List.of(environ.get(Environ.PATH_INFO) + "?" + environ.get(Environ.QUERY_STRING));
    });
    mount("/call-throws", (environ, sr) -> {
      throw new IOException("database down");
    });
    mount("/no-start-response", (environ, sr) -> List.of("body without a status"));
    mount("/first-item-throws", (environ, sr) -> {
      sr.accept("200 OK", TEXT);
      return () -> failingAfter(0);
    });
    mount("/after-commit-throws", (environ, sr) -> {
      sr.accept("200 OK", TEXT);
      return () -> failingAfter(1);
    });
    mount("/exc-info", (environ, sr) -> {
      sr.accept("200 OK", TEXT);
      try {
        throw new IllegalArgumentException("bad input");
      } catch (IllegalArgumentException e) {
        sr.accept("400 Bad Request", TEXT, e);
        return List.of("bad input");
      }
    });
    mount("/lazy-closeable", (environ, sr) -> {
      sr.accept("200 OK", TEXT);
      return new ClosingBody(closes);
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  private void mount(String path, WsgiApp app) {
    server.createContext(path, WsgiHttpServer.handler(Whatap.registerApp(app)));
  }

  @AfterAll
  void stop() {
    server.stop(0);
    pool.shutdownNow();
    receiver.close();
  }

  @BeforeEach
  void clear() {
    receiver.clear();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Items "a", "b", ...: throws instead of item {@code failAt}. */
  private static Iterator<Object> failingAfter(int failAt) {
    return new Iterator<>() {
      private int n;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public Object next() {
        if (n == failAt) {
          throw new IllegalStateException("body failed at item " + n);
        }
        return String.valueOf((char) ('a' + n++));
      }
    };
  }

  /** A lazily produced body that records a step per item and counts its close() calls. */
  static final class ClosingBody implements Iterable<Object>, AutoCloseable {
    private final AtomicInteger closes;

    ClosingBody(AtomicInteger closes) {
      this.closes = closes;
    }

    @Override
    public Iterator<Object> iterator() {
      return List.<Object>of("one ", "two").stream().peek(item ->
          Whatap.currentTransaction().message("item", item.toString(), "")).iterator();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
    }
  }

  @Test
  void theSeedsSimpleAppIsServedAndTraced() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain");
    assertThat(r.headers().firstValue("Content-Length")).hasValue("13");
    assertThat(r.body()).isEqualTo("Hello world!\n");
    ReceivedTx tx = receiver.awaitTransaction("/", WAIT);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.start().httpMethod()).isEqualTo("GET");
    assertThat(tx.steps(TxErrorPack.class)).isEmpty();
  }

  @Test
  void theEnvironHasTheCgiAndWsgiKeys() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/environ/a%20b/c?x=1&y=%32"))
        .header("X-Custom-Thing", "v1").POST(HttpRequest.BodyPublishers.ofString("abc")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.body()).isEqualTo("/a b/c?x=1&y=%32");
    Map<String, Object> env = lastEnviron;
    assertThat(env).containsEntry("REQUEST_METHOD", "POST").containsEntry("SCRIPT_NAME", "/environ")
        .containsEntry("PATH_INFO", "/a b/c").containsEntry("QUERY_STRING", "x=1&y=%32")
        .containsEntry("REQUEST_URI", "/environ/a%20b/c?x=1&y=%32").containsEntry("SERVER_NAME", "127.0.0.1")
        .containsEntry("SERVER_PORT", String.valueOf(server.getAddress().getPort()))
        .containsEntry("SERVER_PROTOCOL", "HTTP/1.1").containsEntry("REMOTE_ADDR", "127.0.0.1")
        .containsEntry("CONTENT_LENGTH", "3").containsEntry("HTTP_X_CUSTOM_THING", "v1")
        .containsEntry("wsgi.url_scheme", "http").containsEntry("wsgi.version", List.of(1, 0))
        .containsEntry("wsgi.multithread", true).containsEntry("wsgi.multiprocess", false)
        .containsEntry("wsgi.run_once", false).containsKeys("HTTP_HOST", "wsgi.input", "wsgi.errors", "REMOTE_PORT")
        .doesNotContainKeys("HTTP_CONTENT_LENGTH");
    assertThat(receiver.awaitTransaction("/environ/a%20b/c", WAIT).start().host()).startsWith("127.0.0.1:");
  }

  @Test
  void anExceptionFromTheApplicationIsA500AndRecorded() throws Exception {
    HttpResponse<String> r = get("/call-throws");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("Internal Server Error\n");
    ReceivedTx tx = receiver.awaitTransaction("/call-throws", WAIT);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("java.io.IOException");
      assertThat(e.message()).isEqualTo("database down");
    });
  }

  @Test
  void aMissingStartResponseIsA500AndRecorded() throws Exception {
    assertThat(get("/no-start-response").statusCode()).isEqualTo(500);
    ReceivedTx tx = receiver.awaitTransaction("/no-start-response", WAIT);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).anySatisfy(e -> assertThat(e.message()).contains("start_response"));
  }

  @Test
  void aBodyFailingBeforeItsFirstItemIsA500() throws Exception {
    assertThat(get("/first-item-throws").statusCode()).isEqualTo(500);
    ReceivedTx tx = receiver.awaitTransaction("/first-item-throws", WAIT);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).anySatisfy(e -> assertThat(e.message()).isEqualTo("body failed at item 0"));
  }

  @Test
  void aBodyFailingAfterCommitCutsTheResponseAndIsRecorded() {
    assertThatThrownBy(() -> get("/after-commit-throws")).as("the client sees the response cut short")
        .isInstanceOf(IOException.class);
    ReceivedTx tx = receiver.awaitTransaction("/after-commit-throws", WAIT);
    assertThat(tx.status()).as("the status that went out").isEqualTo(200);
    assertThat(tx.steps(TxErrorPack.class)).anySatisfy(e -> assertThat(e.message()).isEqualTo("body failed at item 1"));
  }

  @Test
  void startResponseWithExcInfoReplacesTheStatusBeforeCommit() throws Exception {
    HttpResponse<String> r = get("/exc-info");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("bad input");
    ReceivedTx tx = receiver.awaitTransaction("/exc-info", WAIT);
    assertThat(tx.status()).isEqualTo(400);
    assertThat(tx.steps(TxErrorPack.class)).extracting(TxErrorPack::errorClass)
        .containsExactly("java.lang.IllegalArgumentException");
  }

  @Test
  void aLazyBodyRunsInTheTransactionAndIsClosedOnce() throws Exception {
    closes.set(0);
    HttpResponse<String> r = get("/lazy-closeable");
    assertThat(r.body()).isEqualTo("one two");
    assertThat(r.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    ReceivedTx tx = receiver.awaitTransaction("/lazy-closeable", WAIT);
    assertThat(tx.steps(TxMsgPack.class)).filteredOn(m -> m.title().equals("item")).extracting(TxMsgPack::value)
        .containsExactly("one ", "two");
    assertThat(closes).hasValue(1);
  }

  @Test
  void registerAppKnowsWsgiAppsAndWrapsOnce() {
    WsgiApp traced = Whatap.registerApp(SIMPLE_APP);
    assertThat(traced).isNotSameAs(SIMPLE_APP).isInstanceOf(TracedWsgiApp.class);
    assertThat(Whatap.registerApp(traced)).isSameAs(traced);
    assertThatThrownBy(() -> Whatap.registerApp(Runnable.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Class")
        .hasMessageContaining("io.whatap.wsgi.WsgiApp")
        .hasMessageContaining("com.sun.net.httpserver.HttpHandler");
  }

  @Test
  void startResponseRejectsBadInput() {
    ResponseState state = new ResponseState();
    assertThatThrownBy(() -> state.accept("OK", TEXT)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> state.accept("200 OK", List.of(Map.entry("X-Evil", "a\r\nSet-Cookie: x"))))
        .isInstanceOf(IllegalArgumentException.class);
    state.accept("201 Created", TEXT);
    assertThatThrownBy(() -> state.accept("200 OK", TEXT)).isInstanceOf(IllegalStateException.class);
    state.markHeadersSent();
    Exception original = new Exception("checked, as it was");
    assertThatThrownBy(() -> state.accept("500 Internal Server Error", TEXT, original)).isSameAs(original);
  }
}
