package io.whatap.agent;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus server for tests: Debian's {@code prometheus} package (installed with apt-get
 * when missing; .ci/prerequisites installs it first), started on a free loopback port with its
 * configuration and its storage in a temporary directory, scraping one target every second. One per
 * test class; {@link #close()} stops it and deletes the directory. When it cannot be installed or
 * started the set-up fails with the reason; it never skips.
 */
final class PrometheusServer implements AutoCloseable {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Path dir;
  private final Process process;
  private final String base;

  private PrometheusServer(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.base = "http://127.0.0.1:" + port;
  }

  /**
   * Starts Prometheus scraping {@code http://target/metrics} every second as job {@code job};
   * {@code moreJobConfig} (YAML at the job's indentation, or "") is added to the job.
   */
  static PrometheusServer start(String job, String target, String moreJobConfig)
      throws IOException, InterruptedException {
    String binary = findOrInstall();
    Path dir = Files.createTempDirectory("whatap-prometheus-");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
        + "scrape_configs:\n  - job_name: " + job + "\n    metrics_path: /metrics\n    static_configs:\n"
        + "      - targets: ['" + target + "']\n" + moreJobConfig);
    Path log = dir.resolve("prometheus.log");
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      Process p = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
          "--web.listen-address=127.0.0.1:" + port, "--log.level=warn").directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      PrometheusServer server = new PrometheusServer(dir, p, port);
      if (server.awaitReady(Duration.ofSeconds(30))) {
        return server;
      }
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // the free port was taken meanwhile: try another
    }
    String tail = tail(log);
    delete(dir);
    throw new IllegalStateException("Prometheus (" + binary + ") did not become ready; its log: " + tail);
  }

  private boolean awaitReady(Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() - deadline < 0 && process.isAlive()) {
      try {
        if (get("/-/ready").statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // not listening yet
      }
      process.waitFor(50, TimeUnit.MILLISECONDS); // returns at once when it exits
    }
    return false;
  }

  /** The result vector of an instant query (each element {@code {metric, value: [time, "number"]}}). */
  JsonArray query(String promql) throws IOException, InterruptedException {
    HttpResponse<String> r = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    JsonObject body = new JsonObject(r.body());
    if (r.statusCode() != 200 || !"success".equals(body.getString("status"))) {
      throw new IllegalStateException("query " + promql + " answered " + r.statusCode() + ": " + r.body());
    }
    return body.getJsonObject("data").getJsonArray("result");
  }

  /** The value of a query whose result is one sample, or null while it has none. */
  Double single(String promql) throws IOException, InterruptedException {
    JsonArray result = query(promql);
    if (result.size() != 1) {
      return null;
    }
    return Double.valueOf(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  /** The state of the scrape targets, for failure messages. */
  String targets() {
    try {
      return get("/api/v1/targets").body();
    } catch (IOException | InterruptedException e) {
      return "(targets unreadable: " + e + ")";
    }
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    delete(dir);
  }

  /** The prometheus binary, installing Debian's package when there is none. */
  static String findOrInstall() throws IOException, InterruptedException {
    String found = find();
    if (found != null) {
      return found;
    }
    List<String> sudo = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo", "-n");
    try {
      List<String> update = new ArrayList<>(sudo);
      update.addAll(List.of("apt-get", "update", "-qq"));
      run(update, 600);
      List<String> install = new ArrayList<>(sudo);
      install.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "prometheus"));
      run(install, 900);
    } catch (IOException e) {
      throw new IllegalStateException("Prometheus is not installed and 'apt-get install prometheus' failed (the"
          + " /metrics test scrapes with a real server; install Debian's prometheus package, as .ci/prerequisites"
          + " does): " + e.getMessage(), e);
    }
    found = find();
    if (found == null) {
      throw new IllegalStateException("apt-get installed prometheus but no prometheus binary is on the PATH");
    }
    return found;
  }

  private static String find() {
    for (String d : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(d.isEmpty() ? "." : d, "prometheus");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  private static void run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("whatap-apt-", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s: " + tail(out));
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + tail(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("PrometheusServer: could not delete " + dir + ": " + e);
    }
  }
}
