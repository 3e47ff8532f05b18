package io.whatap.bench;

import io.whatap.Transaction;
import io.whatap.Whatap;
import java.io.IOException;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code Whatap.httpClient(client)} itself adds to a {@code send}, without the network: the
 * wrapped client is a stub that reads the request's headers (as the JDK client does when it copies
 * them) and answers at once. {@code plain} sends through the stub, {@code traced} through the traced
 * stub, {@value #CALLS} calls per transaction in both (the transaction's own cost shared), same run.
 * The loopback {@link HttpClientBenchmark} cannot resolve this: a call there allocates ~44 KB and
 * takes milliseconds on a loaded machine, and the background threads' allocation divided over few
 * calls moves its B/op by kilobytes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class HttpClientHookBenchmark {
  static final int CALLS = 100;
  private LoopbackSink sink;
  private HttpClient plain;
  private HttpClient traced;
  private HttpRequest request;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    sink = new LoopbackSink(8 * 1024 * 1024);
    Whatap.configure(Map.of("net_udp_host", "127.0.0.1", "net_udp_port", String.valueOf(sink.port()),
        "banner_enabled", "false", "counter_interval_ms", "600000"));
    plain = new StubClient();
    traced = Whatap.httpClient(plain);
    request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/items/42?sort=asc"))
        .header("accept", "application/json").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    sink.close();
  }

  private long calls(HttpClient client) throws IOException, InterruptedException {
    Transaction tx = Whatap.startTransaction("/orders/{id}");
    try {
      long sum = 0;
      for (int i = 0; i < CALLS; i++) {
        sum += client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      }
      return sum;
    } finally {
      tx.end();
    }
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long plain() throws IOException, InterruptedException {
    return calls(plain);
  }

  @Benchmark
  @OperationsPerInvocation(CALLS)
  public long traced() throws IOException, InterruptedException {
    return calls(traced);
  }

  /** Answers 200 at once, having read the request's headers as the JDK client does. */
  static final class StubClient extends HttpClient {
    private static final HttpResponse<Object> OK = new Ok();
    int headerCount;

    @Override
    @SuppressWarnings("unchecked")
    public <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> handler) {
      headerCount += r.headers().map().size();
      return (HttpResponse<T>) OK;
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest r, HttpResponse.BodyHandler<T> h) {
      return CompletableFuture.completedFuture(send(r, h));
    }

    @Override
    public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest r, HttpResponse.BodyHandler<T> h,
        HttpResponse.PushPromiseHandler<T> p) {
      return sendAsync(r, h);
    }

    @Override
    public Optional<CookieHandler> cookieHandler() {
      return Optional.empty();
    }

    @Override
    public Optional<Duration> connectTimeout() {
      return Optional.empty();
    }

    @Override
    public Redirect followRedirects() {
      return Redirect.NEVER;
    }

    @Override
    public Optional<ProxySelector> proxy() {
      return Optional.empty();
    }

    @Override
    public SSLContext sslContext() {
      return null;
    }

    @Override
    public SSLParameters sslParameters() {
      return null;
    }

    @Override
    public Optional<Authenticator> authenticator() {
      return Optional.empty();
    }

    @Override
    public Version version() {
      return Version.HTTP_1_1;
    }

    @Override
    public Optional<Executor> executor() {
      return Optional.empty();
    }
  }

  private static final class Ok implements HttpResponse<Object> {
    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public HttpRequest request() {
      return null;
    }

    @Override
    public Optional<HttpResponse<Object>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public Object body() {
      return null;
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return Optional.empty();
    }

    @Override
    public URI uri() {
      return null;
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
