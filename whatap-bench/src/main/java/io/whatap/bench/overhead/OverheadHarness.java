package io.whatap.bench.overhead;

import io.whatap.bench.LoopbackSink;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The overhead harness: hello-world applications on Jetty 12 (servlet), Vert.x Web and
 * Undertow, each in its own JVM with a fixed heap, in the configurations none, whatap (library
 * mode: our adapter in the app), javaagent (no adapter, {@code -javaagent:whatap-javaagent.jar}),
 * brave, otel and elastic, driven by a closed-loop load generator (wrk, or a Java client when wrk is
 * absent) at a fixed concurrency for a fixed time after a warm-up, configurations interleaved
 * (A B C A B C ...) over several rounds. Writes the summary into docs/BENCHMARKS.md (between
 * its markers) and a chart into docs/img/. Not a test: run it with
 * {@code whatap-bench/run-overhead.sh} (which builds, fetches the peer agents and installs wrk).
 */
public final class OverheadHarness {
  static final List<String> ALL_SERVERS = List.of("jetty", "vertx", "undertow");
  static final List<String> ALL_CONFIGS = List.of("none", "whatap", "javaagent", "brave", "otel", "elastic");

  final Options o;
  final String wrk;

  OverheadHarness(Options o) {
    this.o = o;
    this.wrk = o.load.equals("java") ? null : Wrk.find();
    if (o.load.equals("wrk") && wrk == null) {
      throw new IllegalStateException("--load wrk but no wrk on the PATH");
    }
  }

  /** Command-line options with their defaults. */
  static final class Options {
    List<String> servers = ALL_SERVERS;
    List<String> configs = ALL_CONFIGS;
    int rounds = 3;
    int durationSec = 20;
    /** The measured time of each configuration is cut into this many slices, taken A B C A B C ... */
    int slices = 1;
    int warmupSec = 10;
    int connections = 16;
    int threads = 1;
    String heap = "256m";
    String load = "auto";
    Path jar;
    Path agents;
    /** whatap-javaagent.jar, for the "javaagent" configuration (the hello app without our adapter, under -javaagent). */
    Path javaagent;
    /** The local agent's runnable jar (whatap-agent/target/whatap-agent.jar); null: a counting UDP sink. */
    Path whatapAgent;
    Path doc = Path.of("docs/BENCHMARKS.md");
    Path png = Path.of("docs/img/overhead.png");
    Path out = Path.of("whatap-bench/target/overhead");
    String commandLine = "";

    static Options parse(String[] args) {
      Options o = new Options();
      StringBuilder cmd = new StringBuilder();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (a) {
          case "--servers": o.servers = List.of(v.split(",")); break;
          case "--configs": o.configs = List.of(v.split(",")); break;
          case "--rounds": o.rounds = Integer.parseInt(v); break;
          case "--duration": o.durationSec = seconds(v); break;
          case "--warmup": o.warmupSec = seconds(v); break;
          case "--slices": o.slices = Integer.parseInt(v); break;
          case "--connections": o.connections = Integer.parseInt(v); break;
          case "--threads": o.threads = Integer.parseInt(v); break;
          case "--heap": o.heap = v; break;
          case "--load": o.load = v; break;
          case "--jar": o.jar = Path.of(v); break;
          case "--agents": o.agents = Path.of(v); break;
          case "--whatap-agent": o.whatapAgent = Path.of(v); break;
          case "--javaagent": o.javaagent = Path.of(v); break;
          case "--doc": o.doc = Path.of(v); break;
          case "--png": o.png = Path.of(v); break;
          case "--out": o.out = Path.of(v); break;
          default: throw new IllegalArgumentException("unknown option " + a);
        }
        if (!a.equals("--jar") && !a.equals("--agents") && !a.equals("--whatap-agent") && !a.equals("--javaagent")) {
          cmd.append(' ').append(a).append(' ').append(v); // the script passes these two itself
        }
        i++;
      }
      o.commandLine = cmd.toString().trim();
      if (!o.configs.isEmpty() && !o.configs.get(0).equals(Report.NONE)) {
        throw new IllegalArgumentException("--configs must start with none: ratios are taken against it");
      }
      return o;
    }

    /** "20s", "2m" or a plain number of seconds. */
    static int seconds(String v) {
      if (v.endsWith("m")) {
        return Integer.parseInt(v.substring(0, v.length() - 1)) * 60;
      }
      return Integer.parseInt(v.endsWith("s") ? v.substring(0, v.length() - 1) : v);
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    if (o.jar == null) {
      o.jar = Path.of(OverheadHarness.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
    if (o.agents == null) {
      o.agents = o.jar.toAbsolutePath().getParent().resolve("agents");
    }
    if (o.javaagent == null) {
      // benchmarks.jar is in whatap-bench/target; the javaagent is built in whatap-javaagent/target
      o.javaagent = o.jar.toAbsolutePath().getParent().getParent().resolveSibling("whatap-javaagent/target/whatap-javaagent.jar");
    }
    new OverheadHarness(o).run();
  }

  void run() throws Exception {
    Files.createDirectories(o.out);
    String loadBefore = loadAverage();
    Instant started = Instant.now();
    log("load generator: " + (wrk != null ? wrk + " -t" + o.threads + " -c" + o.connections : "Java closed-loop client, "
        + o.connections + " connections") + "; " + o.rounds + " rounds x " + o.servers + " x " + o.configs + ", "
        + o.warmupSec + " s warm-up + " + o.durationSec + " s measured each, in " + o.slices + " slice(s)");
    List<Measurement> all = new ArrayList<>();
    for (int round = 1; round <= o.rounds; round++) {
      for (String server : o.servers) {
        for (Measurement m : runServer(round, server)) {
          all.add(m);
          log(summaryLine(m));
        }
        Files.writeString(o.out.resolve("rounds.md"), Report.rawMarkdown(all), StandardCharsets.UTF_8);
      }
    }
    List<Report.Row> rows = Report.summarize(all, o.servers, o.configs);
    String table = Report.markdown(rows);
    System.out.println(table);
    Set<String> notTracing = new HashSet<>();
    for (String server : o.servers) {
      if (tracedNothing(all, server)) {
        notTracing.add(server + "/elastic");
      }
    }
    Report.chart(rows, o.png, "Overhead harness: " + String.join(", ", o.servers), notTracing);
    String section = section(rows, all, started, loadBefore, loadAverage());
    Report.writeSection(o.doc, section);
    log("wrote " + o.doc + " and " + o.png);
  }

  /**
   * One round of one server: every configuration's app is started and warmed up, then the
   * measured time is taken in {@code --slices} turns (none whatap brave ... none whatap brave
   * ...), all apps staying up meanwhile, so that whatever the shared machine does during the
   * round falls on every configuration alike; then each app is asked for its stats and stopped.
   */
  List<Measurement> runServer(int round, String server) {
    List<Measurement> out = new ArrayList<>();
    List<RunningApp> running = new ArrayList<>();
    try {
      for (String config : o.configs) {
        RunningApp app = new RunningApp(round, server, config);
        String failure = app.start();
        if (failure != null) {
          out.add(Measurement.failed(round, server, config, failure));
          app.close();
        } else {
          running.add(app);
        }
      }
      int sliceSec = Math.max(1, o.durationSec / Math.max(1, o.slices));
      for (int slice = 0; slice < o.slices; slice++) {
        for (RunningApp app : running) {
          app.measure(sliceSec);
        }
      }
      for (RunningApp app : running) {
        out.add(app.finish());
      }
    } finally {
      for (RunningApp app : running) {
        app.close();
      }
    }
    out.sort(java.util.Comparator.comparingInt(m -> o.configs.indexOf(m.config())));
    return out;
  }

  /** One app of a round, from start to stats; a failure on the way is kept and reported at {@link #finish}. */
  final class RunningApp implements AutoCloseable {
    final int round;
    final String server;
    final String config;
    Path home;
    Process p;
    AppIo io;
    LocalAgent localAgent;
    LoopbackSink sink;
    ElasticSink elastic;
    File appLog;
    int port;
    String failure;
    final List<LoadResult> slices = new ArrayList<>();
    double cpuSeconds;
    /** The local agent process's CPU over the measured slices (it shares the machine with the app). */
    double localAgentCpuSeconds;

    RunningApp(int round, String server, String config) {
      this.round = round;
      this.server = server;
      this.config = config;
    }

    /** Starts and warms up the app; returns why it could not, or null. */
    String start() {
      if (config.equals("brave") && server.equals("undertow")) {
        return "Brave has no Undertow instrumentation";
      }
      Path agentJar = null;
      if (config.equals("otel") || config.equals("elastic")) {
        agentJar = o.agents.resolve(config.equals("otel") ? "opentelemetry-javaagent.jar" : "elastic-apm-agent.jar");
        if (!Files.isRegularFile(agentJar)) {
          return agentJar + " missing (run-overhead.sh fetches it)";
        }
      }
      if (config.equals("javaagent") && !Files.isRegularFile(o.javaagent)) {
        return o.javaagent + " missing (run-overhead.sh builds it)";
      }
      // library mode (our adapter in the app) and the javaagent (no adapter, -javaagent) send the same packs
      boolean ours = config.equals("whatap") || config.equals("javaagent");
      boolean useAgent = ours && o.whatapAgent != null;
      try {
        sink = ours && !useAgent ? new LoopbackSink(8 * 1024 * 1024) : null;
        elastic = config.equals("elastic") ? new ElasticSink() : null;
        home = Files.createTempDirectory("overhead-" + server + "-" + config);
        if (useAgent) {
          localAgent = LocalAgent.start(o.whatapAgent, home, o.out.resolve("agent-" + round + "-" + server + "-" + config
              + ".log"));
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xms" + o.heap);
        cmd.add("-Xmx" + o.heap);
        String appConfig = config;
        if (ours) {
          if (config.equals("javaagent")) {
            appConfig = "none";
            cmd.add("-javaagent:" + o.javaagent.toAbsolutePath());
          }
          cmd.add("-Dwhatap.home=" + home);
          cmd.add("-Dwhatap.net_udp_port=" + (localAgent != null ? localAgent.udpPort : sink.port()));
          cmd.add("-Dwhatap.app_name=hello-" + server);
          cmd.add("-Dwhatap.banner_enabled=false");
        } else if (config.equals("otel")) {
          appConfig = "none";
          cmd.add("-javaagent:" + agentJar);
          cmd.add("-Dotel.traces.exporter=none");
          cmd.add("-Dotel.metrics.exporter=none");
          cmd.add("-Dotel.logs.exporter=none");
          cmd.add("-Dotel.service.name=hello-" + server);
        } else if (config.equals("elastic")) {
          appConfig = "none";
          cmd.add("-javaagent:" + agentJar);
          cmd.add("-Delastic.apm.server_url=" + elastic.url());
          cmd.add("-Delastic.apm.service_name=hello-" + server);
          cmd.add("-Delastic.apm.central_config=false");
          cmd.add("-Delastic.apm.log_file=" + home.resolve("elastic.log"));
        }
        cmd.add("-cp");
        cmd.add(o.jar.toString());
        cmd.add("io.whatap.bench.apps.HelloApp");
        cmd.add(server);
        cmd.add(appConfig);
        cmd.add("0");
        appLog = o.out.resolve("app-" + round + "-" + server + "-" + config + ".log").toFile();
        p = new ProcessBuilder(cmd).redirectError(appLog).start();
        io = new AppIo(p);
        String ready = io.await("READY ", 180);
        if (ready == null) {
          return "the app did not start within 180 s (see " + appLog + ")";
        }
        port = Integer.parseInt(ready.substring(6).trim());
        load(port, o.warmupSec);
        return null;
      } catch (Exception e) {
        return e.toString();
      }
    }

    void measure(int seconds) {
      if (failure != null) {
        return;
      }
      try {
        double cpu0 = ProcStats.cpuSeconds(p.pid());
        double agentCpu0 = localAgent != null ? localAgent.cpuSeconds() : 0;
        LoadResult r = load(port, seconds);
        cpuSeconds += ProcStats.cpuSeconds(p.pid()) - cpu0;
        if (localAgent != null) {
          localAgentCpuSeconds += localAgent.cpuSeconds() - agentCpu0;
        }
        slices.add(r);
        if (r.errors() * 100 > r.requests()) {
          failure = r.errors() + " of " + r.requests() + " requests failed (non-2xx or socket errors; see "
              + appLog.getName() + ")";
        }
      } catch (Exception e) {
        failure = e.toString();
      }
    }

    Measurement finish() {
      if (failure != null) {
        return Measurement.failed(round, server, config, failure);
      }
      try {
        LoadResult r = LoadResult.combine(slices);
        long rss = ProcStats.rssBytes(p.pid());
        Map<String, Long> sinkCounts = new HashMap<>();
        if (sink != null) {
          sink.awaitQuiet(300, 10_000);
        }
        io.send("stats");
        String stats = io.await("STATS ", 60);
        Map<String, Long> app = stats == null ? Map.of() : parseStats(stats);
        if (sink != null) {
          sink.awaitQuiet(300, 10_000);
          sinkCounts.put("frames", sink.frames());
          sinkCounts.put("txEnds", sink.txEnds());
          sinkCounts.put("datagrams", sink.datagrams());
        }
        if (localAgent != null) {
          sinkCounts.putAll(localAgent.counts());
          sinkCounts.put("agentCpuNanos", Math.round(localAgentCpuSeconds * 1e9));
        }
        if (elastic != null) {
          sinkCounts.put("intakeRequests", elastic.intakeRequests.get());
          sinkCounts.put("intakeBytes", elastic.intakeBytes.get());
        }
        return new Measurement(round, server, config, r, cpuSeconds, rss, app, sinkCounts, null);
      } catch (Exception e) {
        return Measurement.failed(round, server, config, e.toString());
      }
    }

    @Override
    public void close() {
      if (p != null) {
        try {
          if (p.isAlive()) {
            io.send("quit");
          }
          if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (Exception e) {
          p.destroyForcibly();
        }
        p = null;
      }
      if (localAgent != null) {
        localAgent.stop();
        localAgent = null;
      }
      if (sink != null) {
        sink.close();
        sink = null;
      }
      if (elastic != null) {
        elastic.close();
        elastic = null;
      }
      if (home != null) {
        deleteTree(home);
        home = null;
      }
    }
  }

  LoadResult load(int port, int seconds) throws IOException, InterruptedException {
    if (wrk != null) {
      return Wrk.run(wrk, "http://127.0.0.1:" + port + "/hello", o.threads, o.connections, seconds);
    }
    return JavaLoadClient.run("127.0.0.1", port, "/hello", o.connections, seconds);
  }

  public static Map<String, Long> parseStats(String line) {
    Map<String, Long> m = new HashMap<>();
    for (String kv : line.substring("STATS ".length()).trim().split("\\s+")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
      }
    }
    return m;
  }

  String section(List<Report.Row> rows, List<Measurement> all, Instant started, String loadBefore, String loadAfter) {
    StringBuilder b = new StringBuilder();
    b.append("### Overhead harness: results\n\n");
    b.append("Generated by the harness on ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" (")
        .append(Machine.describe()).append("; load average before ").append(loadBefore).append(", after ")
        .append(loadAfter).append(").\n\n");
    b.append("Command: `whatap-bench/run-overhead.sh ").append(o.commandLine).append("`\n\n");
    b.append("Each app: its own JVM, `-Xms").append(o.heap).append(" -Xmx").append(o.heap)
        .append("`, default GC; load: ").append(wrk != null ? "wrk `-t" + o.threads + " -c" + o.connections
        + " --latency`" : "the Java closed-loop client, " + o.connections + " keep-alive connections")
        .append(" on `GET /hello`, ").append(o.warmupSec).append(" s warm-up then ").append(o.durationSec)
        .append(" s measured").append(o.slices > 1 ? " in " + o.slices + " slices of " + Math.max(1, o.durationSec / o.slices)
            + " s; in each round every configuration's app is started and warmed up, then the slices are taken in turns ("
            + String.join(" ", o.configs) + ", " + String.join(" ", o.configs) + ", ...) with all apps up, so that drift"
            + " of the machine falls on every configuration alike;" : "; configurations interleaved in each round ("
            + String.join(" ", o.configs) + ");").append(" ").append(o.rounds).append(" rounds. Ratios are against `none` of the same server in the same")
        .append(" round; the table shows the median over rounds (min..max of the throughput ratio in brackets).")
        .append(" CPU is user+system time of the app process from /proc/<pid>/stat during the measured window.\n\n");
    b.append(Report.markdown(rows)).append('\n');
    b.append("![throughput ratio against none](img/").append(o.png.getFileName()).append(")\n\n");
    b.append(targets(rows, all)).append('\n');
    b.append("WhaTap packs (sender's counters in the app vs ").append(o.whatapAgent != null
        ? "the local agent, whatap-agent, read from its /metrics" : "the harness's counting UDP sink")
        .append(", all rounds, warm-up included):\n\n");
    for (Report.Row r : rows) {
      if (r.config().equals("whatap") && r.rounds() > 0) {
        b.append("- ").append(r.server()).append(": ").append(r.whatapPacks()).append('\n');
      }
    }
    for (Report.Row r : rows) {
      if (r.config().equals("elastic") && r.rounds() > 0 && tracedNothing(all, r.server())) {
        b.append(String.format(Locale.ROOT, "%nElastic on %s: the agent attached but sent its server only %,d intake"
            + " request(s), %,d bytes, for %,d requests served (a traced request adds hundreds of bytes): it traced"
            + " none of them, so its figures there are not a tracing cost and it is left out of the targets.%n",
            r.server(), sink(all, r.server(), "intakeRequests"), sink(all, r.server(), "intakeBytes"),
            elasticRequests(all, r.server())));
      }
    }
    b.append("\n<details><summary>Per-round figures</summary>\n\n").append(Report.rawMarkdown(all))
        .append("\n</details>\n");
    return b.toString();
  }

  /**
   * The targets, checked against this run. A peer that traced nothing (the Elastic agent
   * sending no more than its start-up metadata) is not a tracing peer and is left out of the comparison.
   */
  static String targets(List<Report.Row> rows, List<Measurement> all) {
    StringBuilder b = new StringBuilder("Targets in this run:\n\n");
    Map<String, Report.Row> ours = new HashMap<>();
    Map<String, Report.Row> bestPeer = new HashMap<>();
    Map<String, Report.Row> javaagent = new HashMap<>();
    for (Report.Row r : rows) {
      if (r.rounds() == 0 || Double.isNaN(r.rpsRatio())) {
        continue;
      }
      if (r.config().equals("whatap")) {
        ours.put(r.server(), r);
      } else if (r.config().equals("javaagent")) {
        javaagent.put(r.server(), r);
      } else if (!r.config().equals(Report.NONE)
          && !(r.config().equals("elastic") && tracedNothing(all, r.server()))) {
        Report.Row best = bestPeer.get(r.server());
        if (best == null || r.overhead() < best.overhead()) {
          bestPeer.put(r.server(), r);
        }
      }
    }
    for (Map.Entry<String, Report.Row> e : ours.entrySet()) {
      Report.Row w = e.getValue();
      b.append(String.format(Locale.ROOT, "- %s: WhaTap throughput loss %s (target < 3%%: %s)", e.getKey(),
          Report.pct(w.overhead()), w.overhead() < 0.03 ? "met" : "missed by " + Report.pct(w.overhead() - 0.03)));
      Report.Row peer = bestPeer.get(e.getKey());
      if (peer != null) {
        double bound = Math.max(0, peer.overhead()) / 2;
        b.append(String.format(Locale.ROOT, "; best peer %s loses %s, half of it is %s: %s", peer.config(),
            Report.pct(peer.overhead()), Report.pct(bound), w.overhead() <= bound ? "met"
                : "missed by " + Report.pct(w.overhead() - bound)));
      } else {
        b.append("; no tracing peer ran on this server");
      }
      b.append('\n');
    }
    for (Map.Entry<String, Report.Row> e : javaagent.entrySet()) {
      b.append(String.format(Locale.ROOT, "- %s: WhaTap javaagent (zero-code) throughput loss %s%s%n", e.getKey(),
          Report.pct(e.getValue().overhead()), ours.containsKey(e.getKey())
              ? ", library mode " + Report.pct(ours.get(e.getKey()).overhead()) : ""));
    }
    return b.toString();
  }

  /**
   * True when the Elastic agent on {@code server} sent less than one byte of intake per hundred
   * requests served: its metadata and metrics only (a few requests of ~3 KB per run), no
   * transaction. A traced request costs hundreds of bytes of intake.
   */
  static boolean tracedNothing(List<Measurement> all, String server) {
    long requests = elasticRequests(all, server);
    return requests > 0 && sink(all, server, "intakeBytes") * 100 < requests;
  }

  private static long elasticRequests(List<Measurement> all, String server) {
    long n = 0;
    for (Measurement m : all) {
      if (m.ok() && m.server().equals(server) && m.config().equals("elastic")) {
        n += m.load().requests();
      }
    }
    return n;
  }

  private static long sink(List<Measurement> all, String server, String key) {
    long n = 0;
    for (Measurement m : all) {
      if (m.server().equals(server) && m.config().equals("elastic")) {
        n += m.sink().getOrDefault(key, 0L);
      }
    }
    return n;
  }

  static String summaryLine(Measurement m) {
    if (!m.ok()) {
      return "round " + m.round() + " " + m.server() + "/" + m.config() + ": did not run: " + m.failure();
    }
    return String.format(Locale.ROOT, "round %d %s/%s: %,.0f req/s p50 %.2f ms p99 %.2f ms errors %d cpu %.2f s/10k rss %.0f MB %s %s",
        m.round(), m.server(), m.config(), m.requestsPerSecond(), m.p50Ms(), m.p99Ms(), m.load().errors(),
        m.cpuPer10k(), m.rssMb(), m.app(), m.sink());
  }

  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "n/a";
    }
  }

  static void log(String s) {
    System.out.println("[overhead] " + s);
    System.out.flush();
  }

  public static void deleteTree(Path root) {
    try (var walk = Files.walk(root)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }

  /** The app's stdin and stdout: commands in, READY/STATS lines out (other lines are ignored). */
  public static final class AppIo {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Writer in;

    public AppIo(Process p) {
      in = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8);
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            if (line.startsWith("READY ") || line.startsWith("STATS ")) {
              lines.add(line);
            }
          }
        } catch (IOException ignored) {
          // the app exited
        }
      }, "app-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    public String await(String prefix, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + seconds * 1_000_000_000L;
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        String line = lines.poll(left, TimeUnit.NANOSECONDS);
        if (line != null && line.startsWith(prefix)) {
          return line;
        }
      }
    }

    public void send(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
    }
  }
}
