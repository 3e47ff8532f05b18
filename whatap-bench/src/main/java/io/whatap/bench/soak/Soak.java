package io.whatap.bench.soak;

import io.whatap.bench.overhead.LocalAgent;
import io.whatap.bench.overhead.OverheadHarness;
import io.whatap.bench.overhead.OverheadHarness.AppIo;
import io.whatap.bench.soak.SoakChecks.Check;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The soak: per adapter (Jetty 12 with WhatapFilter, Vert.x Web with WhatapHandler, Undertow
 * with WhatapHandler), the bench app in its own JVM sending to our local agent (whatap-agent)
 * in another, driven with a fixed number of requests that mix fast requests, requests whose
 * handler throws and async requests ended by the server's async timeout. After every slice of
 * the requests, the heap after a forced full GC of both JVMs is read (attach + JMX); at the
 * end, once the app's sender and the agent have caught up, it checks and prints: heap after GC
 * flat in both, every request traced, transactions sent by the app = counted by the agent,
 * active back to 0, every response as its kind must answer. Exits 1 when a check fails.
 *
 * <pre>java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.soak.Soak --requests 1000000 --servers jetty,vertx,undertow</pre>
 *
 * Not a test and not in CI's default run: a million requests per adapter take minutes.
 */
public final class Soak {
  /** Command-line options with their defaults. */
  static final class Options {
    List<String> servers = List.of("jetty", "vertx", "undertow");
    long requests = 1_000_000;
    int connections = 16;
    /** Heap samples: one after each of this many equal slices of the requests; the first is the warm-up. */
    int samples = 10;
    int asyncPercent = 5;
    int errorPercent = 5;
    long asyncTimeoutMs = 20;
    String heap = "256m";
    long heapBoundBytes = 8L * 1024 * 1024;
    double heapBoundRatio = 0.10;
    /** How long the app's sender and the agent get to catch up after the last request. */
    int settleSeconds = 60;
    /** The class path of the app JVM (and of the local agent without --whatap-agent). */
    String classPath = System.getProperty("java.class.path");
    /** The local agent's runnable jar; null: io.whatap.agent.AgentMain from the class path. */
    Path whatapAgent;
    Path out = Path.of("whatap-bench/target/soak");

    static Options parse(String[] args) {
      Options o = new Options();
      Path defaultAgent = Path.of("whatap-agent/target/whatap-agent.jar");
      o.whatapAgent = Files.isRegularFile(defaultAgent) ? defaultAgent : null;
      for (int i = 0; i < args.length; i += 2) {
        String a = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        String v = args[i + 1];
        switch (a) {
          case "--servers": o.servers = List.of(v.split(",")); break;
          case "--requests": o.requests = Long.parseLong(v.replace("_", "")); break;
          case "--connections": o.connections = Integer.parseInt(v); break;
          case "--samples": o.samples = Integer.parseInt(v); break;
          case "--async-percent": o.asyncPercent = Integer.parseInt(v); break;
          case "--error-percent": o.errorPercent = Integer.parseInt(v); break;
          case "--async-timeout-ms": o.asyncTimeoutMs = Long.parseLong(v); break;
          case "--heap": o.heap = v; break;
          case "--heap-bound-mb": o.heapBoundBytes = Long.parseLong(v) * 1024 * 1024; break;
          case "--heap-bound-pct": o.heapBoundRatio = Double.parseDouble(v) / 100; break;
          case "--settle": o.settleSeconds = Integer.parseInt(v); break;
          case "--class-path": o.classPath = v; break;
          case "--whatap-agent": o.whatapAgent = v.isEmpty() ? null : Path.of(v); break;
          case "--out": o.out = Path.of(v); break;
          default: throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (o.samples < 2 || o.requests < o.samples) {
        throw new IllegalArgumentException("--samples must be >= 2 and <= --requests (the first sample is the warm-up)");
      }
      return o;
    }
  }

  /** One adapter's run: the load's counts, the heap series and the checks. */
  record ServerResult(String server, long requests, double seconds, SoakLoad.Counts load, List<Long> appHeap,
      List<Long> agentHeap, Map<String, Long> app, Map<String, Double> agent, List<Check> checks) {
    boolean ok() {
      return SoakChecks.allOk(checks);
    }
  }

  private final Options o;

  Soak(Options o) {
    this.o = o;
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    Instant started = Instant.now();
    String loadBefore = OverheadHarness.loadAverage();
    log("soak " + String.format(Locale.ROOT, "%,d", o.requests) + " requests per adapter on " + o.servers + ", "
        + o.connections + " connections, " + o.asyncPercent + "% async (timeout " + o.asyncTimeoutMs + " ms), "
        + o.errorPercent + "% errors; local agent " + (o.whatapAgent != null ? o.whatapAgent : "from the class path"));
    List<ServerResult> results = new Soak(o).run();
    System.out.println();
    System.out.println("Soak started " + started.truncatedTo(ChronoUnit.SECONDS) + ", load average before "
        + loadBefore + ", after " + OverheadHarness.loadAverage());
    System.out.println(markdown(results));
    boolean ok = !results.isEmpty();
    for (ServerResult r : results) {
      ok &= r.ok();
    }
    log(ok ? "every check passed" : "a check FAILED");
    System.exit(ok ? 0 : 1);
  }

  List<ServerResult> run() throws IOException, InterruptedException {
    Files.createDirectories(o.out);
    List<ServerResult> results = new ArrayList<>();
    for (String server : o.servers) {
      ServerResult r = runServer(server);
      results.add(r);
      System.out.println(report(r));
      System.out.flush();
    }
    return results;
  }

  ServerResult runServer(String server) throws IOException, InterruptedException {
    Path home = Files.createTempDirectory("soak-" + server);
    Path agentLog = o.out.resolve("agent-" + server + ".log");
    LocalAgent agent = o.whatapAgent != null ? LocalAgent.start(o.whatapAgent, home, agentLog)
        : LocalAgent.startFromClassPath(o.classPath, home, agentLog);
    Process app = null;
    AppIo io = null;
    try {
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xms" + o.heap, "-Xmx" + o.heap, "-Dwhatap.home=" + home, "-Dwhatap.net_udp_port=" + agent.udpPort,
          "-Dwhatap.app_name=soak-" + server, "-Dwhatap.banner_enabled=false",
          "-Dbench.async_timeout_ms=" + o.asyncTimeoutMs, "-cp", o.classPath, "io.whatap.bench.apps.HelloApp",
          server, "whatap", "0");
      app = new ProcessBuilder(cmd).redirectError(o.out.resolve("app-" + server + ".log").toFile()).start();
      io = new AppIo(app);
      String ready = io.await("READY ", 180);
      if (ready == null) {
        throw new IOException(server + " app did not start within 180 s (see " + o.out.resolve("app-" + server + ".log") + ")");
      }
      int port = Integer.parseInt(ready.substring(6).trim());
      SoakLoad load = new SoakLoad("127.0.0.1", port, o.connections, o.asyncPercent, o.errorPercent);
      List<Long> appHeap = new ArrayList<>();
      List<Long> agentHeap = new ArrayList<>();
      long t0 = System.nanoTime();
      try (HeapProbe appProbe = HeapProbe.attach(app.pid()); HeapProbe agentProbe = HeapProbe.attach(agent.pid())) {
        for (int s = 0; s < o.samples; s++) {
          load.run(o.requests * s / o.samples, o.requests * (s + 1) / o.samples);
          appHeap.add(appProbe.usedAfterGc());
          agentHeap.add(agentProbe.usedAfterGc());
          log(String.format(Locale.ROOT, "%s: %,d requests, heap after GC app %s agent %s", server,
              o.requests * (s + 1) / o.samples, SoakChecks.mb(appHeap.get(s)), SoakChecks.mb(agentHeap.get(s))));
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      Settled settled = settle(io, agent);
      List<Check> checks = new ArrayList<>();
      checks.add(SoakChecks.heapFlat("app", appHeap, o.heapBoundBytes, o.heapBoundRatio));
      checks.add(SoakChecks.heapFlat("local agent", agentHeap, o.heapBoundBytes, o.heapBoundRatio));
      long queued = settled.app.getOrDefault("txQueued", -1L);
      checks.add(SoakChecks.everyRequestTraced(load.counts.answered(), load.counts.ioErrors.sum(), queued));
      checks.add(SoakChecks.sentEqualsReceived(queued, settled.app.getOrDefault("txDropped", -1L),
          settled.agentCounted));
      checks.add(SoakChecks.activeBackToZero(settled.app.getOrDefault("active", -1L),
          settled.app.getOrDefault("activeEvicted", -1L), settled.agentLong("whatap_agent_pending_transactions"),
          settled.agentActive));
      checks.add(SoakChecks.responsesAsExpected(load.counts.unexpectedStatus.sum(), load.counts.ioErrors.sum(),
          load.counts.firstProblem));
      return new ServerResult(server, o.requests, seconds, load.counts, appHeap, agentHeap, settled.app,
          settled.agent, checks);
    } finally {
      if (app != null) {
        try {
          if (app.isAlive() && io != null) {
            io.send("quit");
          }
        } catch (IOException ignored) {
          // the app is gone already
        }
        if (!app.waitFor(15, TimeUnit.SECONDS)) {
          app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
      agent.stop();
      OverheadHarness.deleteTree(home);
    }
  }

  /** Where {@link #settle} keeps the agent's count of the applications' transactions among its metrics. */
  static final String COUNTED = "whatap_transactions_total (all applications)";

  /** The app's and the agent's figures once both have caught up (or the settle time ran out). */
  /**
   * {@code agentCounted}: the transactions the local agent counted for the applications
   * ({@code whatap_transactions_total}): those it received in full plus, in stats mode, those the
   * application counted in its own statistics rows.
   */
  record Settled(Map<String, Long> app, Map<String, Double> agent, long agentActive, long agentCounted) {
    long agentLong(String metric) {
      return agent.getOrDefault(metric, -1.0).longValue();
    }
  }

  /**
   * Waits until the app's active table is empty, the agent completed every transaction the app
   * sent and has none pending, and the app's last active statistics count none; or until
   * {@code --settle} seconds have passed. Returns the last figures read either way: the checks
   * decide.
   */
  Settled settle(AppIo io, LocalAgent agent) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.settleSeconds);
    while (true) {
      io.send("stats");
      String line = io.await("STATS ", 60);
      if (line == null) {
        throw new IOException("the app did not answer stats");
      }
      Map<String, Long> app = OverheadHarness.parseStats(line);
      String metrics = agent.metricsText();
      Map<String, Double> m = LocalAgent.parseMetrics(metrics);
      long counted = (long) LocalAgent.sumLabelled(metrics, "whatap_transactions_total");
      m.put(COUNTED, (double) counted);
      Settled s = new Settled(app, m, activeInLastStats(metrics), counted);
      boolean done = app.getOrDefault("active", -1L) == 0
          && app.getOrDefault("txQueued", -1L) - app.getOrDefault("txDropped", 0L) == s.agentCounted
          && s.agentLong("whatap_agent_pending_transactions") == 0 && s.agentActive == 0;
      if (done || System.nanoTime() > deadline) {
        return s;
      }
      Thread.sleep(500); // polling two other processes: nothing to wait on in this one
    }
  }

  /**
   * The transactions in flight in the apps' last ACTIVE_STATS (whatap_transactions_in_flight at
   * le="+Inf", all its bands); -1 when there is none.
   */
  static long activeInLastStats(String metrics) {
    long sum = -1;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("whatap_transactions_in_flight{") && line.contains("le=\"+Inf\"}")) {
        String[] f = line.trim().split("\\s+");
        sum = Math.max(sum, 0) + (long) Double.parseDouble(f[f.length - 1]);
      }
    }
    return sum;
  }

  static String report(ServerResult r) {
    StringBuilder b = new StringBuilder();
    SoakLoad.Counts c = r.load();
    b.append(String.format(Locale.ROOT, "%n== soak %s: %,d requests (%,d fast, %,d error, %,d async timeout) in %.1f s,"
        + " %,.0f req/s%n", r.server(), r.requests(), c.answered(SoakLoad.Kind.FAST), c.answered(SoakLoad.Kind.ERROR),
        c.answered(SoakLoad.Kind.ASYNC), r.seconds(), c.answered() / r.seconds()));
    b.append("  app heap after GC (MB), per slice:   ").append(series(r.appHeap())).append('\n');
    b.append("  agent heap after GC (MB), per slice: ").append(series(r.agentHeap())).append('\n');
    if (r.server().equals("jetty")) {
      b.append(String.format(Locale.ROOT, "  async requests the app's guard completed (a servlet async timeout the"
          + " container lost): %,d%n", r.app().getOrDefault("asyncGuard", 0L)));
    }
    b.append(String.format(Locale.ROOT, "  app sender: datagrams %,d, frames %,d, send errors %,d; local agent: datagrams"
        + " %,.0f, frames %,.0f, receive errors %,.0f%n", r.app().getOrDefault("datagramsSent", -1L),
        r.app().getOrDefault("framesSent", -1L), r.app().getOrDefault("sendErrors", -1L),
        r.agent().getOrDefault("whatap_agent_datagrams_total", -1.0), r.agent().getOrDefault("whatap_agent_frames_total", -1.0),
        r.agent().getOrDefault("whatap_agent_receive_errors_total", -1.0)));
    for (Check check : r.checks()) {
      b.append("  ").append(check).append('\n');
    }
    return b.toString();
  }

  static String series(List<Long> bytes) {
    StringBuilder b = new StringBuilder();
    for (long v : bytes) {
      b.append(b.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f", v / (1024.0 * 1024.0)));
    }
    return b.toString();
  }

  static String markdown(List<ServerResult> results) {
    StringBuilder b = new StringBuilder();
    b.append("| adapter | requests (fast / error / async timeout) | req/s | app heap after GC, first → last (max) |"
        + " agent heap after GC, first → last (max) | sent by the app | received by the agent | active at the end |"
        + " checks |\n");
    b.append("| --- | --- | ---: | --- | --- | ---: | ---: | --- | --- |\n");
    for (ServerResult r : results) {
      SoakLoad.Counts c = r.load();
      long queued = r.app().getOrDefault("txQueued", -1L);
      long dropped = r.app().getOrDefault("txDropped", -1L);
      b.append(String.format(Locale.ROOT, "| %s | %,d / %,d / %,d | %,.0f | %s | %s | %,d | %,.0f | app %d, agent pending %.0f |"
          + " %s |%n", r.server(), c.answered(SoakLoad.Kind.FAST), c.answered(SoakLoad.Kind.ERROR),
          c.answered(SoakLoad.Kind.ASYNC), c.answered() / r.seconds(), heapCell(r.appHeap()), heapCell(r.agentHeap()),
          queued - dropped, r.agent().getOrDefault(COUNTED, -1.0),
          r.app().getOrDefault("active", -1L), r.agent().getOrDefault("whatap_agent_pending_transactions", -1.0),
          r.ok() ? "all passed" : "FAILED: " + failed(r.checks())));
    }
    return b.toString();
  }

  private static String heapCell(List<Long> series) {
    long max = 0;
    for (long v : series) {
      max = Math.max(max, v);
    }
    return String.format(Locale.ROOT, "%.1f → %.1f MB (%.1f)", series.get(0) / 1048576.0,
        series.get(series.size() - 1) / 1048576.0, max / 1048576.0);
  }

  private static String failed(List<Check> checks) {
    StringBuilder b = new StringBuilder();
    for (Check c : checks) {
      if (!c.ok()) {
        b.append(b.length() == 0 ? "" : ", ").append(c.name());
      }
    }
    return b.toString();
  }

  static void log(String s) {
    System.out.println("[soak] " + s);
    System.out.flush();
  }
}
