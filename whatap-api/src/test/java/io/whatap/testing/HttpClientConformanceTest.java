package io.whatap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.Hexa32;
import io.whatap.wire.Pack;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxHttpcPack;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The suite every HTTP client hook runs, in the manner of Brave's ITHttpClient: the client under
 * test calls a real, traced callee (the JDK HttpServer behind {@code Whatap.registerApp}) on a
 * free port from inside a caller transaction, and the assertions read what a real UDP receiver
 * on loopback decoded: the caller's TX_HTTPC step (URL without query, elapsed, driver, the
 * callee's txid as step id) and the callee's TX_END (mtid, mdepth, mcaller txid and spec).
 *
 * <p>A hook's test implements {@link #call} and {@link #callAsync} with its library, traced the
 * way its README says. The callee answers {@code /callee} with 200 and {@code /unavailable}
 * with 503, and remembers the x-wtap-* and traceparent headers each request brought ({@code ?id=N}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class HttpClientConformanceTest {
  protected static final Duration WAIT = Duration.ofSeconds(10);
  private static final AtomicInteger IDS = new AtomicInteger();

  protected UdpTestReceiver receiver;
  private HttpServer callee;
  private ExecutorService calleePool;
  private final Map<String, Map<String, String>> headersSeen = new ConcurrentHashMap<>();
  /** "http://127.0.0.1:port" of the traced callee. */
  protected String base;

  /** The driver name the hook reports in TX_HTTPC, e.g. "okhttp". */
  protected abstract String driver();

  /** Makes the client under test and anything it needs (called once, after the callee started). */
  protected abstract void startClient() throws Exception;

  protected abstract void stopClient() throws Exception;

  /** GETs {@code url} with the traced client, blocking; returns the status the application saw. */
  protected abstract int call(String url) throws Exception;

  /** As {@link #call} without tracing: the library as the application would use it without us. */
  protected abstract int callUntraced(String url) throws Exception;

  /**
   * GETs {@code url} with the traced client's asynchronous API; the future completes (with the
   * status, or exceptionally with what the library reported) on the library's own thread.
   */
  protected abstract CompletableFuture<Integer> callAsync(String url);

  @BeforeAll
  void startAll() throws Exception {
    receiver = new UdpTestReceiver(8 * 1024 * 1024);
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    options.put("mtrace_spec", "caller-spec");
    Whatap.configure(options);
    calleePool = Executors.newFixedThreadPool(4);
    callee = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    callee.setExecutor(calleePool);
    HttpHandler routes = this::route;
    callee.createContext("/", Whatap.registerApp(routes));
    callee.start();
    base = "http://127.0.0.1:" + callee.getAddress().getPort();
    startClient();
  }

  @AfterAll
  void stopAll() throws Exception {
    try {
      stopClient();
    } finally {
      callee.stop(0);
      calleePool.shutdownNow();
      receiver.close();
    }
  }

  @BeforeEach
  void clearReceiver() {
    receiver.clear();
  }

  private void route(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getQuery();
    if (query != null && query.startsWith("id=")) {
      Map<String, String> seen = new HashMap<>();
      for (String name : new String[] {"x-wtap-mst", "x-wtap-tx", "x-wtap-inf", "traceparent"}) {
        String v = ex.getRequestHeaders().getFirst(name);
        if (v != null) {
          seen.put(name, v);
        }
      }
      int amp = query.indexOf('&');
      headersSeen.put(query.substring(3, amp < 0 ? query.length() : amp), seen);
    }
    int status = ex.getRequestURI().getPath().equals("/unavailable") ? 503 : 200;
    byte[] body = "callee".getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  /** A loopback port nothing listens on: bound, read, closed. */
  protected static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private ReceivedTx callerTx(String name) {
    return receiver.awaitTransaction(tx -> name.equals(tx.uri()), WAIT);
  }

  private static TxHttpcPack onlyHttpc(ReceivedTx tx) {
    List<TxHttpcPack> steps = tx.steps(TxHttpcPack.class);
    assertThat(steps).as("TX_HTTPC steps of " + tx).hasSize(1);
    return steps.get(0);
  }

  /** The callee's transaction must carry the caller's identity, and its txid must be the step id. */
  private void assertLinked(ReceivedTx caller, TxHttpcPack step, String id) {
    assertThat(step.stepId()).as("the callee's txid, assigned by the caller").isNotZero();
    ReceivedTx calleeTx = receiver.awaitTransaction(tx -> tx.txid() == step.stepId(), WAIT);
    assertThat(calleeTx.end().mcallerTxid()).isEqualTo(caller.txid());
    assertThat(calleeTx.end().mtid()).isEqualTo(caller.txid());
    assertThat(calleeTx.end().mdepth()).isEqualTo(1);
    assertThat(calleeTx.end().mcallerSpec()).isEqualTo("caller-spec");
    Map<String, String> seen = headersSeen.get(id);
    assertThat(seen).as("headers the callee received").isNotNull();
    assertThat(seen.get("x-wtap-mst")).isEqualTo(Hexa32.toString32(caller.txid()) + ",1,"
        + Hexa32.toString32(caller.txid()));
    assertThat(seen.get("x-wtap-tx")).isEqualTo(Hexa32.toString32(step.stepId()));
    assertThat(seen.get("traceparent")).as("W3C: trace id = mtid, span id = the step id")
        .isEqualTo(String.format("00-%016x%016x-%016x-01", 0L, caller.txid(), step.stepId()));
  }

  @Test
  void aCallIsAStepWithoutQueryLinkedToItsTracedCallee() throws Exception {
    String id = String.valueOf(IDS.incrementAndGet());
    String name = "/caller-sync-" + id;
    Transaction tx = Whatap.startTransaction(name);
    int status;
    try {
      status = call(base + "/callee?id=" + id + "&secret=s3cr3t");
    } finally {
      tx.end();
    }
    assertThat(status).isEqualTo(200);
    ReceivedTx caller = callerTx(name);
    TxHttpcPack step = onlyHttpc(caller);
    assertThat(step.url()).isEqualTo(base + "/callee");
    assertThat(step.driver()).isEqualTo(driver());
    assertThat(step.header().elapsed()).isBetween(0, (int) caller.elapsedMs() + 1);
    assertThat(step.header().time()).isBetween(caller.start().header().time(), caller.end().header().time());
    assertThat(caller.steps(TxErrorPack.class)).isEmpty();
    for (Pack p : receiver.packs()) {
      assertThat(p.toString()).doesNotContain("s3cr3t");
    }
    assertLinked(caller, step, id);
  }

  @Test
  void anErrorStatusIsAStepAndNotAnError() throws Exception {
    String name = "/caller-503-" + IDS.incrementAndGet();
    Transaction tx = Whatap.startTransaction(name);
    int status;
    try {
      status = call(base + "/unavailable");
    } finally {
      tx.end();
    }
    assertThat(status).isEqualTo(503);
    ReceivedTx caller = callerTx(name);
    assertThat(onlyHttpc(caller).url()).isEqualTo(base + "/unavailable");
    assertThat(caller.steps(TxErrorPack.class)).as("a status is the callee's answer, not a failure").isEmpty();
  }

  @Test
  void aCallOutsideAnyTransactionCarriesNoHeadersAndRecordsNothing() throws Exception {
    String id = String.valueOf(IDS.incrementAndGet());
    assertThat(call(base + "/callee?id=" + id)).isEqualTo(200);
    receiver.awaitTransaction(tx -> "/callee".equals(tx.uri()), WAIT);
    assertThat(headersSeen.get(id)).isEmpty();
    assertThat(receiver.packs(TxHttpcPack.class)).isEmpty();
  }

  @Test
  void aConnectFailureIsTheStepAndTheErrorAndTheApplicationGetsItsUsualException() throws Exception {
    String url = "http://127.0.0.1:" + closedPort() + "/nothing?q=1";
    Throwable untraced = catchThrowable(() -> callUntraced(url));
    assertThat(untraced).as("the library's own failure").isNotNull();
    String name = "/caller-refused-" + IDS.incrementAndGet();
    Transaction tx = Whatap.startTransaction(name);
    Throwable traced;
    try {
      traced = catchThrowable(() -> call(url));
    } finally {
      tx.end();
    }
    assertThat(traced).as("what the application sees").isNotNull().hasSameClassAs(untraced);
    assertThat(traced.getMessage()).isEqualTo(untraced.getMessage());
    ReceivedTx caller = callerTx(name);
    assertThat(onlyHttpc(caller).url()).isEqualTo(url.substring(0, url.indexOf('?')));
    Throwable cause = rootOfFailure(traced);
    assertThat(caller.steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo(cause.getClass().getName()));
  }

  /** The exception a hook records for {@code seen}: the library's own, not a future's wrapper. */
  protected Throwable rootOfFailure(Throwable seen) {
    return seen;
  }

  @Test
  void anAsyncCallCompletesOnTheClientsThreadAndIsRecordedBeforeTheApplicationsContinuation() throws Exception {
    String id = String.valueOf(IDS.incrementAndGet());
    String name = "/caller-async-" + id;
    Thread testThread = Thread.currentThread();
    Transaction tx = Whatap.startTransaction(name);
    CompletableFuture<Thread> completedOn = callAsync(base + "/callee?id=" + id).thenApply(status -> {
      assertThat(status).isEqualTo(200);
      tx.end(); // the application's continuation ends the transaction, on the client's thread
      return Thread.currentThread();
    });
    Thread thread;
    try {
      thread = completedOn.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } finally {
      tx.end();
    }
    assertThat(thread).isNotSameAs(testThread);
    ReceivedTx caller = callerTx(name);
    TxHttpcPack step = onlyHttpc(caller);
    assertThat(step.url()).isEqualTo(base + "/callee");
    assertLinked(caller, step, id);
  }

  @Test
  void anAsyncConnectFailureIsTheStepAndTheError() throws Exception {
    String url = "http://127.0.0.1:" + closedPort() + "/nothing";
    String name = "/caller-async-refused-" + IDS.incrementAndGet();
    Transaction tx = Whatap.startTransaction(name);
    CompletableFuture<Integer> f = callAsync(url);
    Throwable failure;
    try {
      failure = catchThrowable(() -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    } finally {
      tx.end();
    }
    assertThat(failure).isInstanceOf(ExecutionException.class);
    ReceivedTx caller = callerTx(name);
    assertThat(onlyHttpc(caller).url()).isEqualTo(url);
    assertThat(caller.steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo(rootOfFailure(failure.getCause()).getClass().getName()));
  }
}
