package io.whatap.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.Await;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Boot application with the starter on its class path, started in a child JVM with
 * {@code -javaagent:whatap-javaagent.jar} as well: the starter backs off (no filter registration,
 * one agent in the JVM) and each request is exactly one transaction, the javaagent's. Both would
 * send to the same receiver (application.properties points the starter's agent at it too), so a
 * second tracer would show there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterWithJavaagentIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern STARTED = Pattern.compile("Tomcat started on port (?:\\(s\\): )?(\\d+)");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private UdpTestReceiver receiver;
  private Process boot;
  private Path home;
  private Path output;
  private String baseUrl;

  @BeforeAll
  void startBootWithTheJavaagent() throws Exception {
    Path work = Files.createDirectories(Path.of(System.getProperty("starter.it.work"), "javaagent"));
    home = Files.createDirectories(work.resolve("home"));
    Files.deleteIfExists(home.resolve("logs").resolve("whatap-agent.log"));
    receiver = new UdpTestReceiver();
    String classPath = System.getProperty("starter.classes") + java.io.File.pathSeparator
        + System.getProperty("starter.test.classes") + java.io.File.pathSeparator
        + Files.readString(Path.of(System.getProperty("boot.app.classpath"))).trim();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + System.getProperty("javaagent.jar"),
        "-Dwhatap.home=" + home, "-Dwhatap.banner_enabled=false", "-Dwhatap.counter_interval_ms=600000"));
    receiver.agentOptions().forEach((k, v) -> command.add("-Dwhatap." + k + "=" + v));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.starter.StarterTestApp",
        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off",
        "--test.udp.port=" + receiver.port()));
    output = work.resolve("boot.out");
    boot = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + awaitPort();
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (boot != null) {
      boot.destroy();
      if (!boot.waitFor(20, TimeUnit.SECONDS)) {
        boot.destroyForcibly().waitFor();
      }
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void theStarterBacksOffAndTheJvmHasOneAgent() throws Exception {
    assertThat(get("/whatap-state").body())
        .isEqualTo("filterRegistration=false javaagentNotice=true timerThreads=1");
    assertThat(readQuietly(output)).contains("WhaTap javaagent attached: whatap-spring-boot-starter registers nothing");
  }

  @Test
  void eachRequestIsExactlyOneTransactionNamedByTheRouteTemplate() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      assertThat(get("/users/" + user).statusCode()).isEqualTo(200);
    }
    awaitNamed("/users/{id}", 2);
    // a marker request sent after: once it arrived, any second transaction of the two would have too
    assertThat(get("/probe").statusCode()).isEqualTo(200);
    awaitNamed("/probe", 1);
    assertThat(named("/users/{id}")).hasSize(2).extracting(ReceivedTx::status).containsExactly(200, 200);
    assertThat(named("/probe")).hasSize(1);
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  private String awaitPort() {
    return Await.value("Boot's port", WAIT, () -> {
      if (!boot.isAlive()) {
        throw new AssertionError("Boot ended with status " + boot.exitValue() + ":\n" + readQuietly(output));
      }
      Matcher m = STARTED.matcher(readQuietly(output));
      return m.find() ? m.group(1) : null;
    }, () -> "output:\n" + readQuietly(output) + agentLog());
  }

  private List<ReceivedTx> named(String name) {
    return receiver.completed().stream().filter(tx -> name.equals(tx.uri())).toList();
  }

  private void awaitNamed(String name, int count) {
    receiver.awaitNamed(name, count, WAIT, this::agentLog);
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  private String agentLog() {
    return "\nagent log:\n" + readQuietly(home.resolve("logs").resolve("whatap-agent.log"));
  }
}
