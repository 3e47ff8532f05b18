package io.whatap.bench.startup;

import io.whatap.bench.overhead.Machine;
import io.whatap.bench.overhead.Stats;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start-up time of a Spring Boot application without an agent, with whatap-javaagent and with
 * OpenTelemetry's Java agent: from the moment the JVM is launched until the first HTTP request
 * ({@code GET /users/startup}) answers 200. The configurations run interleaved (round 1: none,
 * whatap, otel; round 2: whatap, otel, none; ...) so that a slow phase of a shared machine falls on
 * all of them alike. Prints a Markdown table: medians, min..max, and the time each agent adds.
 *
 * <pre>
 * java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.startup.StartupBench \
 *   --boot-jar whatap-javaagent-boot-app/target/boot-app.jar \
 *   --whatap whatap-javaagent/target/whatap-javaagent.jar \
 *   --otel whatap-bench/target/agents/opentelemetry-javaagent.jar --runs 7
 * </pre>
 */
public final class StartupBench {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private StartupBench() { }

  /** One way to start the application: its name, extra JVM options and environment. */
  record Config(String name, List<String> jvmOptions, Map<String, String> env) { }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = arguments(args);
    Path bootJar = Path.of(required(a, "--boot-jar"));
    int runs = Integer.parseInt(a.getOrDefault("--runs", "5"));
    Path whatapHome = Files.createTempDirectory("whatap-startup");
    List<Config> configs = new ArrayList<>();
    configs.add(new Config("no agent", List.of(), Map.of()));
    configs.add(new Config("whatap-javaagent", List.of("-javaagent:" + Path.of(required(a, "--whatap")).toAbsolutePath(),
        "-Dwhatap.home=" + whatapHome, "-Dwhatap.banner_enabled=false"), Map.of()));
    configs.add(new Config("OpenTelemetry 2.33.1", List.of("-javaagent:" + Path.of(required(a, "--otel")).toAbsolutePath()),
        Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_METRICS_EXPORTER", "none", "OTEL_LOGS_EXPORTER", "none")));

    Map<String, List<Double>> millis = new LinkedHashMap<>();
    configs.forEach(c -> millis.put(c.name(), new ArrayList<>()));
    for (int round = 0; round < runs; round++) {
      for (int i = 0; i < configs.size(); i++) {
        Config c = configs.get((round + i) % configs.size());
        double ms = startOnce(bootJar, c);
        millis.get(c.name()).add(ms);
        System.err.printf(Locale.ROOT, "round %d %-22s %8.0f ms%n", round + 1, c.name(), ms);
      }
    }
    System.out.println(report(millis, runs));
  }

  /** Launches the application with {@code c}, polls until the first request answers 200, stops it; the elapsed ms. */
  static double startOnce(Path bootJar, Config c) throws Exception {
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(c.jvmOptions());
    command.addAll(List.of("-jar", bootJar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().putAll(c.env());
    HttpRequest first = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/users/startup"))
        .timeout(Duration.ofSeconds(30)).build();
    long start = System.nanoTime();
    Process app = pb.start();
    try {
      while (true) {
        try {
          if (HTTP.send(first, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return (System.nanoTime() - start) / 1e6;
          }
        } catch (ConnectException notListening) {
          // not up yet
        }
        if (!app.isAlive()) {
          throw new IllegalStateException(c.name() + ": the application exited with " + app.exitValue());
        }
        if (System.nanoTime() - start > LIMIT.toNanos()) {
          throw new IllegalStateException(c.name() + ": no answer within " + LIMIT.toSeconds() + " s");
        }
        Thread.sleep(5); // polling interval: at most 5 ms added to every configuration alike
      }
    } finally {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly().waitFor();
      }
    }
  }

  static String report(Map<String, List<Double>> millis, int runs) {
    List<String> names = new ArrayList<>(millis.keySet());
    double base = Stats.median(millis.get(names.get(0)));
    StringBuilder sb = new StringBuilder();
    sb.append("Machine: ").append(Machine.describe()).append("; ").append(runs)
        .append(" runs of each configuration, interleaved.\n\n");
    sb.append("| configuration | median (ms) | min..max (ms) | added to the start (median, ms) | start vs no agent |\n");
    sb.append("| --- | ---: | ---: | ---: | ---: |\n");
    for (String name : names) {
      double m = Stats.median(millis.get(name));
      double[] r = Stats.range(millis.get(name));
      sb.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f..%.0f | %s | %.2fx |%n", name, m, r[0], r[1],
          name.equals(names.get(0)) ? "-" : String.format(Locale.ROOT, "%+.0f", m - base), Stats.ratio(m, base)));
    }
    double ours = Stats.median(millis.get(names.get(1))) - base;
    double otel = Stats.median(millis.get(names.get(2))) - base;
    sb.append(String.format(Locale.ROOT, "%nwhatap-javaagent adds %.0f ms, OpenTelemetry adds %.0f ms:"
        + " ours adds %.2f of what OpenTelemetry adds (target: at most 0.50).%n", ours, otel, Stats.ratio(ours, otel)));
    return sb.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    }
  }

  private static Map<String, String> arguments(String[] args) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i], args[i + 1]);
    }
    return a;
  }

  private static String required(Map<String, String> a, String key) {
    String v = a.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key + " (see the class comment for the command)");
    }
    return v;
  }
}
