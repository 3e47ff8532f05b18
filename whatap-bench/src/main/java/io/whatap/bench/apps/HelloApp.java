package io.whatap.bench.apps;

import io.whatap.runtime.Agent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;

/**
 * A hello-world application on one server, in one tracing configuration, for the overhead
 * harness and the soak: {@code GET /hello} answers {@code hello} (text/plain); {@code GET /error}
 * throws in the handler (500); {@code GET /async} is never answered by the application and
 * ends by the server's async timeout (servlet async timeout: 500, Vert.x {@code TimeoutHandler}
 * and the Undertow app's timer: 503). Started in its own JVM by
 * the harness, it prints {@code READY <port>} once listening, then answers commands on
 * stdin, so that measuring it needs no extra endpoint on the server under test:
 * {@code stats} prints one {@code STATS key=value ...} line (heap after a full GC, and the
 * WhaTap sender's counters when it is traced by WhaTap), {@code quit} exits.
 *
 * <pre>java -Xms256m -Xmx256m -cp benchmarks.jar io.whatap.bench.apps.HelloApp jetty|vertx|undertow none|whatap|brave [port]</pre>
 *
 * The otel and elastic configurations are {@code none} plus the peer's {@code -javaagent}.
 */
public final class HelloApp {
  public static final String BODY = "hello";
  /** Answered 500 after the handler threw (the soak's error requests). */
  public static final String ERROR_PATH = "/error";
  public static final String ERROR_MESSAGE = "soak: a failing handler";
  /** Never answered by the handler: the server's async timeout ends it (the soak's async requests). */
  public static final String ASYNC_PATH = "/async";
  /** After this, an async request the server's timeout did not end is completed by the app (504). */
  public static final long ASYNC_GUARD_MS = 1000;
  static final ScheduledExecutorService GUARD = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "async-guard");
    t.setDaemon(true);
    return t;
  });
  /** Async requests the guard had to complete: timeouts the server lost. */
  static final LongAdder asyncGuardFired = new LongAdder();

  /** The async timeout of {@link #ASYNC_PATH}: system property {@code bench.async_timeout_ms}, default 20. */
  public static long asyncTimeoutMs() {
    return Long.getLong("bench.async_timeout_ms", 20);
  }

  /** A started server. */
  public interface Server {
    int port();

    void stop() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String server = args[0];
    String config = args[1];
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Server s = start(server, config, port);
    System.out.println("READY " + s.port());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.equals("stats")) {
        System.out.println(stats(config));
        System.out.flush();
      } else if (line.equals("quit")) {
        break;
      }
    }
    s.stop();
    System.exit(0);
  }

  public static Server start(String server, String config, int port) throws Exception {
    switch (server) {
      case "jetty": return JettyHello.start(config, port);
      case "vertx": return VertxHello.start(config, port);
      case "undertow": return UndertowHello.start(config, port);
      default: throw new IllegalArgumentException("unknown server " + server + " (jetty, vertx, undertow)");
    }
  }

  static String stats(String config) {
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    StringBuilder b = new StringBuilder("STATS heapUsedAfterGc=").append(heap.getUsed())
        .append(" heapCommitted=").append(heap.getCommitted()).append(" asyncGuard=").append(asyncGuardFired.sum());
    if (config.equals("whatap")) {
      Agent a = Agent.get();
      b.append(" txQueued=").append(a.sender.transactionsQueued())
          .append(" txDropped=").append(a.sender.transactionsDropped.sum())
          .append(" framesSent=").append(a.sender.framesSent.sum())
          .append(" framesDropped=").append(a.sender.framesDropped.sum())
          .append(" datagramsSent=").append(a.sender.datagramsSent.sum())
          .append(" sendErrors=").append(a.sender.sendErrors.sum())
          .append(" active=").append(a.active.count())
          .append(" activeEvicted=").append(a.active.evictedCount())
          .append(" activeRejected=").append(a.active.rejectedCount());
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.getName().equals("whatap-sender")) {
          b.append(" senderCpuNanos=").append(ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId()));
        }
      }
    }
    return b.toString();
  }

  private HelloApp() { }
}
