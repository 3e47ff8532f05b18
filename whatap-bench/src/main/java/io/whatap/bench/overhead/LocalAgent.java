package io.whatap.bench.overhead;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Our local agent (whatap-agent) as the receiver of the "whatap" configuration: its own JVM on a
 * free UDP port, the dashboard on a free HTTP port; what it received is read from /metrics.
 */
public final class LocalAgent {
  public final int udpPort;
  private final Process process;
  private final String dashboard;

  private LocalAgent(Process process, int udpPort, String dashboard) {
    this.process = process;
    this.udpPort = udpPort;
    this.dashboard = dashboard;
  }

  public static LocalAgent start(Path jar, Path home, Path log) throws IOException, InterruptedException {
    return start(List.of("-jar", jar.toString()), home, log);
  }

  /**
   * Starts the agent from a class path holding whatap-agent and its dependencies (a test's class
   * path, where the runnable jar may not be built yet).
   */
  public static LocalAgent startFromClassPath(String classPath, Path home, Path log)
      throws IOException, InterruptedException {
    return start(List.of("-cp", classPath, "io.whatap.agent.AgentMain"), home, log);
  }

  private static LocalAgent start(List<String> launch, Path home, Path log) throws IOException, InterruptedException {
    int udp;
    try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      udp = probe.getLocalPort();
    }
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-Dwhatap.home=" + home, "-Dwhatap.net_udp_port=" + udp,
        "-Dwhatap.agent_http_port=0", "-Dwhatap.banner_enabled=false"));
    cmd.addAll(launch);
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    // One reader for the agent's whole life: after the ready line it keeps draining stdout, so
    // that a long run (the soak) never blocks the agent on a full pipe.
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          int i = line.indexOf("dashboard ");
          if (!ready.isDone() && line.startsWith("whatap-agent:") && i > 0) {
            ready.complete(line.substring(i + "dashboard ".length()).split("[\\s,]")[0]);
          }
        }
      } catch (IOException ignored) {
        // the agent exited
      }
      ready.complete(null); // exited before the ready line: not ready
    }, "whatap-agent-stdout");
    reader.setDaemon(true);
    reader.start();
    String url;
    try {
      url = ready.get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      url = null;
    }
    if (url == null) {
      p.destroyForcibly();
      throw new IOException("whatap-agent did not start (see " + log + ")");
    }
    return new LocalAgent(p, udp, url.endsWith("/") ? url : url + "/");
  }

  public long pid() {
    return process.pid();
  }

  /** The agent process's CPU seconds so far (user + system). */
  double cpuSeconds() throws IOException {
    return ProcStats.cpuSeconds(process.pid());
  }

  /** What the agent received: datagrams, frames and completed transactions. */
  Map<String, Long> counts() throws IOException, InterruptedException {
    Map<String, Long> m = new HashMap<>();
    Map<String, Double> metrics = parseMetrics(metricsText());
    m.put("datagrams", metrics.getOrDefault("whatap_agent_datagrams_total", -1.0).longValue());
    m.put("frames", metrics.getOrDefault("whatap_agent_frames_total", -1.0).longValue());
    m.put("txEnds", metrics.getOrDefault("whatap_agent_completed_transactions_total", -1.0).longValue());
    return m;
  }

  /** The agent's /metrics page (Prometheus text). */
  public String metricsText() throws IOException, InterruptedException {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(dashboard + "metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("GET " + dashboard + "metrics answered " + r.statusCode());
    }
    return r.body();
  }

  /** Prometheus text: the value of every sample without labels. */
  public static Map<String, Double> parseMetrics(String text) {
    Map<String, Double> m = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty() || line.startsWith("#") || line.contains("{")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length >= 2) {
        try {
          m.put(f[0], Double.parseDouble(f[1]));
        } catch (NumberFormatException ignored) {
          // not a sample line
        }
      }
    }
    return m;
  }

  /** Prometheus text: the sum of every labelled sample of {@code family} (e.g. over all applications). */
  public static double sumLabelled(String text, String family) {
    double sum = 0;
    for (String line : text.split("\n")) {
      if (!line.startsWith(family + "{")) {
        continue;
      }
      int close = line.lastIndexOf('}');
      try {
        sum += Double.parseDouble(line.substring(close + 1).trim().split("\\s+")[0]);
      } catch (RuntimeException ignored) {
        // not a sample line
      }
    }
    return sum;
  }

  public void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
