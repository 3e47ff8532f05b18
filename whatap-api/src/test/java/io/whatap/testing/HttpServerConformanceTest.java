package io.whatap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.ActiveStackPack;
import io.whatap.wire.ActiveStatsPack;
import io.whatap.wire.Hexa32;
import io.whatap.wire.Pack;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMsgPack;
import io.whatap.wire.TxParamPack;
import io.whatap.wire.TxSqlPack;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite every HTTP adapter runs, in the manner of Brave's ITHttpServer: a real
 * server on a free port, real HTTP requests, and assertions on what a real UDP receiver on
 * loopback decoded. An adapter's test extends this class and starts a server that serves
 * these routes (the adapter decides how; the behaviour must be as described):
 *
 * <ul>
 *   <li>{@code GET /hello} → 200, body "hello"
 *   <li>{@code GET /boom} → the handler throws {@code IllegalStateException("boom")} (the framework answers 500)
 *   <li>{@code GET /unavailable} → the application sets status 503 and writes "down"
 *   <li>{@code GET /redirect} → 302 to /hello
 *   <li>{@code GET /users/{id}} → 200 "user " + id; registered with the framework's route
 *       template where it has one ({@link #userRouteName()} says what name to expect)
 *   <li>{@code POST /echo} → 200 with the request body
 *   <li>{@code GET /sql} → records {@code Whatap.currentTransaction().sql("jdbc:test", "select 1", now, 1, 1)}
 *       on the request's thread, then 200
 *   <li>{@code GET /slow?ms=N} → waits N ms (off the event loop where there is one), then 200
 *   <li>{@code GET /async} → completes from another thread about 50 ms later with 200 "async",
 *       after recording {@code Whatap.currentTransaction().message("async", "hop", "")} on that thread
 *   <li>{@code GET /async-timeout} → starts asynchronous processing that never completes; the
 *       server times it out after {@link #asyncTimeoutMs()} with {@link #asyncTimeoutStatus()}
 *   <li>{@code GET /health} → 200; the suite configures {@code /health} as ignored
 *   <li>any other path → 404 from the framework
 * </ul>
 * The server must accept request lines and headers of at least 32 KB.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpServerConformanceTest {
  protected static final Duration WAIT = Duration.ofSeconds(10);

  protected UdpTestReceiver receiver;
  protected HttpClient client;

  /** Starts the server serving the routes above and returns its base URL, e.g. "http://127.0.0.1:41234". */
  protected abstract String startServer() throws Exception;

  protected abstract void stopServer() throws Exception;

  /** The transaction name expected for {@code GET /users/42}: the route template, or the normalized path. */
  protected String userRouteName() {
    return "/users/{id}";
  }

  protected int asyncTimeoutMs() {
    return 300;
  }

  /** The status the framework answers a timed-out async request with. */
  protected int asyncTimeoutStatus() {
    return 500;
  }

  /** The name expected for an unknown path (frameworks with routers may name unmatched requests differently). */
  protected String notFoundName(String normalizedPath) {
    return normalizedPath;
  }

  protected String base;

  @BeforeAll
  void startAll() throws Exception {
    receiver = new UdpTestReceiver(8 * 1024 * 1024);
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("trace_ignore_url_prefixes", "/health");
    options.put("counter_interval_ms", "600000");
    options.put("trace_http_headers", "x-custom,*");
    Whatap.configure(options);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    base = startServer();
  }

  @AfterAll
  void stopAll() throws Exception {
    try {
      stopServer();
    } finally {
      receiver.close();
    }
  }

  @BeforeEach
  void clearReceiver() {
    receiver.clear();
  }

  protected HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  protected ReceivedTx tx(String name) {
    return receiver.awaitTransaction(name, WAIT);
  }

  @Test
  void okWithBody() throws Exception {
    HttpResponse<String> r = get("/hello", "User-Agent", "conformance/1", "Referer", "http://ref.example/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello");
    ReceivedTx tx = tx("/hello");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.start().httpMethod()).isEqualTo("GET");
    assertThat(tx.start().host()).contains("127.0.0.1");
    assertThat(tx.start().userAgent()).isEqualTo("conformance/1");
    assertThat(tx.start().referer()).isEqualTo("http://ref.example/");
    assertThat(tx.start().ipaddr()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
    assertThat(tx.steps(TxErrorPack.class)).isEmpty();
    assertThat(tx.elapsedMs()).isBetween(0L, 10_000L);
  }

  @Test
  void notFound() throws Exception {
    assertThat(get("/nope/123").statusCode()).isEqualTo(404);
    ReceivedTx tx = tx(notFoundName("/nope/{id}"));
    assertThat(tx.status()).isEqualTo(404);
    assertThat(tx.steps(TxErrorPack.class)).as("4xx is not an error by default").isEmpty();
  }

  @Test
  void exceptionIsA500WithAnErrorPack() throws Exception {
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = tx("/boom");
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().anySatisfy(e -> {
      assertThat(e.errorClass()).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.message()).isEqualTo("boom");
      assertThat(e.stack()).contains("IllegalStateException");
    });
  }

  @Test
  void applicationSetErrorStatus() throws Exception {
    HttpResponse<String> r = get("/unavailable");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).isEqualTo("down");
    ReceivedTx tx = tx("/unavailable");
    assertThat(tx.status()).isEqualTo(503);
    assertThat(tx.steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo("Service Unavailable"));
  }

  @Test
  void redirect() throws Exception {
    HttpResponse<String> r = get("/redirect");
    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/hello"));
    ReceivedTx tx = tx("/redirect");
    assertThat(tx.status()).isEqualTo(302);
    assertThat(tx.steps(TxErrorPack.class)).isEmpty();
  }

  @Test
  void queryStringStaysOutOfTheName() throws Exception {
    assertThat(get("/hello?user=alice&token=secret").statusCode()).isEqualTo(200);
    ReceivedTx tx = tx("/hello");
    assertThat(tx.start().uri()).doesNotContain("?").doesNotContain("secret");
  }

  @Test
  void pathParametersAreNamedByTemplate() throws Exception {
    HttpResponse<String> r = get("/users/42");
    assertThat(r.body()).isEqualTo("user 42");
    ReceivedTx tx = tx(userRouteName());
    assertThat(tx.status()).isEqualTo(200);
  }

  @Test
  void postWithBody() throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/echo")).timeout(WAIT)
        .POST(HttpRequest.BodyPublishers.ofString("payload-123")).build();
    HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("payload-123");
    ReceivedTx tx = tx("/echo");
    assertThat(tx.start().httpMethod()).isEqualTo("POST");
  }

  @Test
  void stepsRecordedByTheApplicationLandInTheTransaction() throws Exception {
    assertThat(get("/sql").statusCode()).isEqualTo(200);
    ReceivedTx tx = tx("/sql");
    assertThat(tx.steps(TxSqlPack.class)).singleElement().satisfies(s -> {
      assertThat(s.sql()).isEqualTo("select 1");
      assertThat(s.dbc()).isEqualTo("jdbc:test");
    });
  }

  @Test
  void headersAreCapturedAndRedacted() throws Exception {
    get("/hello", "X-Custom", "kept", "Authorization", "Bearer s3cret", "Cookie", "sid=abc");
    ReceivedTx tx = tx("/hello");
    TxMsgPack headers = tx.steps(TxMsgPack.class).stream().filter(m -> m.title().equals("HTTP-HEADERS"))
        .findFirst().orElseThrow(() -> new AssertionError("no HTTP-HEADERS message in " + tx.packs()));
    assertThat(headers.description()).contains("x-custom=kept\n").contains("authorization=[redacted]\n")
        .contains("cookie=[redacted]\n").doesNotContain("s3cret").doesNotContain("sid=abc");
  }

  /**
   * The Referer follows the request URL's rule (no query), in TX_START and among the captured
   * headers; trace_http_headers=* captures no value of a header named like a credential.
   */
  @Test
  void noSecretOfTheRefererOrOfCredentialHeadersIsSent() throws Exception {
    get("/hello", "Referer", "https://shop.example/cart?token=ref-s3cret#frag", "X-Api-Key", "key-s3cret",
        "X-Auth-Token", "token-s3cret", "X-Custom", "kept");
    ReceivedTx tx = tx("/hello");
    assertThat(tx.start().referer()).isEqualTo("https://shop.example/cart");
    TxMsgPack headers = tx.steps(TxMsgPack.class).stream().filter(m -> m.title().equals("HTTP-HEADERS"))
        .findFirst().orElseThrow(() -> new AssertionError("no HTTP-HEADERS message in " + tx.packs()));
    assertThat(headers.description()).contains("x-custom=kept\n").contains("x-api-key=[redacted]\n")
        .contains("x-auth-token=[redacted]\n").contains("referer=https://shop.example/cart\n");
    assertThat(receiver.packs().toString()).doesNotContain("s3cret");
  }

  @Test
  void clientIpFromForwardedForWithSeveralHops() throws Exception {
    get("/hello", "X-Forwarded-For", "203.0.113.9, 10.0.0.1, 10.0.0.2");
    assertThat(tx("/hello").start().ipaddr()).isEqualTo("203.0.113.9");
  }

  @Test
  void ignoredUrlSendsNothing() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    get("/hello");
    tx("/hello"); // sent after /health: once it is here, /health would have been too
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/health");
  }

  @Test
  void incomingMultiTransactionHeadersAreContinued() throws Exception {
    long mtid = 8812345678901234567L;
    long caller = -1234567890123L;
    long assigned = 777_000_111L;
    get("/hello", "x-wtap-mst", Hexa32.toString32(mtid) + ",3," + Hexa32.toString32(caller),
        "x-wtap-tx", Hexa32.toString32(assigned), "x-wtap-inf", "caller-spec,99");
    ReceivedTx tx = tx("/hello");
    assertThat(tx.txid()).isEqualTo(assigned);
    assertThat(tx.end().mtid()).isEqualTo(mtid);
    assertThat(tx.end().mdepth()).isEqualTo(3);
    assertThat(tx.end().mcallerTxid()).isEqualTo(caller);
    assertThat(tx.end().mcallerSpec()).isEqualTo("caller-spec");
  }

  @Test
  void incomingTraceparentIsContinued() throws Exception {
    get("/hello", "traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    ReceivedTx tx = tx("/hello");
    assertThat(tx.end().mtid()).isEqualTo(Long.parseUnsignedLong("8448eb211c80319c", 16));
    assertThat(tx.end().mcallerTxid()).isEqualTo(Long.parseUnsignedLong("b7ad6b7169203331", 16));
  }

  @Test
  void aSlowRequestIsSeenAsActiveThroughTheBackChannel() throws Exception {
    get("/hello");
    tx("/hello");
    CompletableFuture<HttpResponse<String>> slow = client.sendAsync(
        HttpRequest.newBuilder(URI.create(base + "/slow?ms=2500")).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
    // find the running transaction in the active list, then ask for its stack
    long txid = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    int n = 0;
    while (txid == 0) {
      String id = String.valueOf(1000 + n++);
      receiver.sendText("25," + id + ",", receiver.lastSender());
      TxParamPack list = receiver.awaitPack(TxParamPack.class, p -> p.requestId().equals(id), WAIT);
      Matcher m = Pattern.compile("(?m)^(-?\\d+) \\d+ \\d+ GET /slow$").matcher(list.data());
      if (m.find()) {
        txid = Long.parseLong(m.group(1));
      } else if (System.nanoTime() > deadline) {
        throw new AssertionError("/slow never showed as active: " + list.data());
      }
    }
    receiver.sendText("0,1," + txid, receiver.lastSender());
    long expected = txid;
    ActiveStackPack stack = receiver.awaitPack(ActiveStackPack.class,
        p -> p.data().contains(", " + expected + ", "), WAIT);
    assertThat(stack.data()).contains("\tat ");
    ActiveStatsPack stats = receiver.awaitPack(ActiveStatsPack.class, p -> true, WAIT);
    assertThat(stats.bands()).hasSize(5);
    assertThat(java.util.Arrays.stream(stats.bands()).sum()).isGreaterThanOrEqualTo(1);
    assertThat(slow.get().statusCode()).isEqualTo(200);
    assertThat(tx("/slow").elapsedMs()).isGreaterThanOrEqualTo(2400);
  }

  @Test
  void asyncCompletion() throws Exception {
    HttpResponse<String> r = get("/async");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("async");
    ReceivedTx tx = tx("/async");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.elapsedMs()).as("ends when the async work completes").isGreaterThanOrEqualTo(40);
    assertThat(tx.steps(TxMsgPack.class)).anySatisfy(m -> assertThat(m.title()).isEqualTo("async"));
  }

  @Test
  void asyncTimeout() throws Exception {
    HttpResponse<String> r = get("/async-timeout");
    assertThat(r.statusCode()).isEqualTo(asyncTimeoutStatus());
    ReceivedTx tx = tx("/async-timeout");
    assertThat(tx.status()).isEqualTo(asyncTimeoutStatus());
    assertThat(tx.steps(TxErrorPack.class)).as("a timeout is an error").isNotEmpty();
    assertThat(tx.elapsedMs()).isGreaterThanOrEqualTo(asyncTimeoutMs() - 20L);
  }

  @Test
  void twoHundredConcurrentRequests() throws Exception {
    String[] paths = {"/hello", "/unavailable", "/users/7", "/boom"};
    int[] statuses = {200, 503, 200, 500};
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      futures.add(client.sendAsync(HttpRequest.newBuilder(URI.create(base + paths[i % 4])).timeout(WAIT).build(),
          HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(futures.get(i).get().statusCode()).isEqualTo(statuses[i % 4]);
    }
    List<ReceivedTx> done = receiver.awaitCompleted(200, WAIT);
    assertThat(done).hasSize(200);
    Set<Long> ids = new HashSet<>();
    Map<String, Integer> counts = new HashMap<>();
    for (ReceivedTx tx : done) {
      ids.add(tx.txid());
      counts.merge(tx.uri() + " " + tx.status(), 1, Integer::sum);
    }
    assertThat(ids).hasSize(200);
    assertThat(counts).containsOnly(Map.entry("/hello 200", 50), Map.entry("/unavailable 503", 50),
        Map.entry(userRouteName() + " 200", 50), Map.entry("/boom 500", 50));
  }

  @Test
  void hugeUrlAndMalformedHeadersAreServedAndTruncated() throws Exception {
    String longQuery = "q=" + "x".repeat(10_240);
    String longAgent = "agent-" + "\u00e9".repeat(5000);
    String raw = "GET /hello?" + longQuery + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\n"
        + "User-Agent: " + longAgent + "\r\n"
        + "X-Forwarded-For: not-an-ip, <script>\r\n"
        + "x-wtap-mst: \u00ff\u00fe,,garbage\r\n"
        + "traceparent: 00-nothex-zz-01\r\n"
        + "Referer: http://\u00ff\u00fe/weird path\r\n"
        + "Connection: close\r\n\r\n";
    assertThat(rawStatus(raw)).isEqualTo(200);
    ReceivedTx tx = tx("/hello");
    assertThat(tx.start().userAgent().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
    assertThat(tx.start().ipaddr()).isIn("127.0.0.1", "0:0:0:0:0:0:0:1", "::1");
    assertThat(tx.end().mtid()).isZero();

    String longPath = "/" + "p".repeat(10_240);
    assertThat(rawStatus("GET " + longPath + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
        .isEqualTo(404);
    ReceivedTx notFound = receiver.awaitTransaction(t -> t.status() == 404, WAIT);
    assertThat(notFound.uri().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2048);
  }

  /** Sends raw bytes (ISO-8859-1) and returns the response status. */
  protected int rawStatus(String request) throws IOException {
    URI u = URI.create(base);
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        line.write(c);
      }
      String status = line.toString(StandardCharsets.ISO_8859_1);
      String[] parts = status.split(" ");
      if (parts.length < 2) {
        throw new AssertionError("no status line: '" + status + "'");
      }
      return Integer.parseInt(parts[1].trim());
    }
  }

  /** Packs of every completed transaction, for debugging a failing adapter. */
  protected List<Pack> everything() {
    return receiver.packs();
  }
}
