package io.whatap.bench;

import com.sun.net.httpserver.HttpServer;
import io.whatap.Transaction;
import io.whatap.Whatap;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A java.net.http call to a loopback JDK HttpServer inside a transaction, through
 * {@code Whatap.httpClient(client)} and through the plain client, in the same run: the
 * difference is what the hook adds per call (the request with the x-wtap-* headers added, the
 * TX_HTTPC step), and {@code plainClientSameHeaders} sends the same four headers without the hook,
 * so that the cost of carrying them (the client writes them, the in-process server parses them)
 * stands apart from the hook's own. Both variants start and end the same transaction, sent by the real sender to
 * a real loopback UDP sink, so the transaction's own cost cancels out. Run with
 * {@code -prof gc} for the bytes per call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
// nodelay: the JDK server writes the response head and body apart; with Nagle on, each call
// waits for the client's delayed ACK (~40 ms) and the hook's cost vanishes in it
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-Dsun.net.httpserver.nodelay=true"})
@State(Scope.Benchmark)
public class HttpClientBenchmark {
  private LoopbackSink sink;
  private HttpServer server;
  private ExecutorService serverThreads;
  private HttpClient plain;
  private HttpClient traced;
  private HttpRequest request;
  private HttpRequest requestWithHeaders;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    sink = new LoopbackSink(8 * 1024 * 1024);
    Whatap.configure(Map.of("net_udp_host", "127.0.0.1", "net_udp_port", String.valueOf(sink.port()),
        "banner_enabled", "false", "counter_interval_ms", "600000"));
    byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    serverThreads = Executors.newFixedThreadPool(2);
    server.setExecutor(serverThreads);
    server.createContext("/items", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    traced = Whatap.httpClient(plain);
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()
        + "/items/42?sort=asc")).build();
    // the four headers a traced call carries, of the same lengths, set by the application: what
    // carrying them costs the client and the in-process server, apart from the hook
    requestWithHeaders = HttpRequest.newBuilder(request.uri())
        .header("x-wtap-mst", "1a2b3c4d5e6f7,1,7f6e5d4c3b2a1")
        .header("x-wtap-tx", "1a2b3c4d5e6f8")
        .header("x-wtap-inf", "whatap-bench,-1234567890")
        .header("traceparent", "00-00000000000000001a2b3c4d5e6f7a8b-1a2b3c4d5e6f7a8c-01").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.stop(0);
    serverThreads.shutdownNow();
    System.out.println("sink: datagrams=" + sink.datagrams() + " txEnds=" + sink.txEnds());
    sink.close();
  }

  private int call(HttpClient client, HttpRequest r) throws IOException, InterruptedException {
    Transaction tx = Whatap.startTransaction("/orders/{id}");
    try {
      return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    } finally {
      tx.end();
    }
  }

  @Benchmark
  public int plainClient() throws IOException, InterruptedException {
    return call(plain, request);
  }

  /** The plain client with the four headers set by hand: {@code traced - this} is the hook's own cost. */
  @Benchmark
  public int plainClientSameHeaders() throws IOException, InterruptedException {
    return call(plain, requestWithHeaders);
  }

  @Benchmark
  public int tracedClient() throws IOException, InterruptedException {
    return call(traced, request);
  }
}
