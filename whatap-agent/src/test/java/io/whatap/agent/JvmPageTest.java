package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.config.ConfigLoader;
import io.whatap.runtime.Agent;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TagCountPack;
import io.whatap.wire.WireWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JVM page's data end to end: a real in-process agent of the core sends its counter packs to
 * the real local agent over UDP on loopback; {@code /api/jvm} shows its pools, collectors, threads
 * and classes, and {@code /api/threaddump} takes a dump through the back channel (bounded, rate
 * limited, 404 for a process never heard, 504 for one that does not answer, 403 from a foreign page).
 */
class JvmPageTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int DUMP_TIMEOUT_MS = 1500;
  private static final int DUMP_INTERVAL_MS = 2000;

  private static LocalAgent agent;
  private static Agent app;
  private static String base;
  private static int pid;

  @BeforeAll
  static void start() throws Exception {
    agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_active_poll_ms", "0", "agent_thread_dump_timeout_ms", String.valueOf(DUMP_TIMEOUT_MS),
        "agent_thread_dump_interval_ms", String.valueOf(DUMP_INTERVAL_MS))));
    base = "http://127.0.0.1:" + agent.httpPort();
    Path home = Files.createTempDirectory("whatap-jvm-test");
    Map<String, String> env = Map.of("WHATAP_NET_UDP_HOST", "127.0.0.1",
        "WHATAP_NET_UDP_PORT", String.valueOf(agent.udpPort()), "WHATAP_APP_NAME", "jvm-app",
        "WHATAP_COUNTER_INTERVAL_MS", "300", "WHATAP_BANNER_ENABLED", "false");
    app = Agent.startStandalone(new ConfigLoader(home, env, new Properties()));
    pid = (int) ProcessHandle.current().pid();
  }

  @AfterAll
  static void stop() {
    app.close();
    agent.close();
  }

  private static HttpResponse<String> send(String method, String path, String origin) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (origin != null) {
      b.header("origin", origin);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject awaitJvm(Predicate<JsonObject> ready) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      HttpResponse<String> r = send("GET", "/api/jvm?app=jvm-app", null);
      if (r.statusCode() == 200) {
        JsonObject o = new JsonObject(r.body());
        if (ready.test(o) || System.nanoTime() - deadline > 0) {
          return o;
        }
      } else if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("/api/jvm -> " + r.statusCode() + " " + r.body());
      }
      LockSupport.parkNanos(50_000_000L); // poll interval
    }
  }

  /** A dump of our own process, asked again while the rate limit refuses (429) until the deadline. */
  private static JsonObject dump(String bounds) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      HttpResponse<String> r = send("POST", "/api/threaddump?app=jvm-app&pid=" + pid + bounds, base);
      if (r.statusCode() != 429 || System.nanoTime() - deadline > 0) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
      }
      LockSupport.parkNanos(100_000_000L); // poll interval while refused
    }
  }

  @Test
  void theFiguresArriveWithPoolsCollectorsThreadsClassesAndHistory() throws Exception {
    JsonObject o = awaitJvm(j -> {
      JsonArray p = j.getJsonArray("processes");
      return !p.isEmpty() && p.getJsonObject(0).getJsonArray("history").size() >= 2;
    });
    JsonObject p = o.getJsonArray("processes").getJsonObject(0);
    assertThat(p.getInteger("pid")).isEqualTo(pid);
    assertThat(p.getBoolean("live")).isTrue();
    List<String> poolNames = new ArrayList<>();
    boolean heap = false;
    boolean nonHeap = false;
    for (Object x : p.getJsonArray("pools")) {
      JsonObject pool = (JsonObject) x;
      poolNames.add(pool.getString("name"));
      heap |= pool.getBoolean("heap");
      nonHeap |= !pool.getBoolean("heap");
      assertThat(pool.getLong("committed")).isGreaterThanOrEqualTo(pool.getLong("used"));
    }
    assertThat(poolNames).contains("Metaspace");
    assertThat(heap).isTrue();
    assertThat(nonHeap).isTrue();
    assertThat(p.getJsonArray("gc")).isNotEmpty();
    for (Object x : p.getJsonArray("gc")) {
      assertThat(((JsonObject) x).getString("name")).isNotBlank();
    }
    assertThat(p.getJsonObject("classes").getLong("loaded")).isPositive();
    assertThat(p.getJsonObject("threads").getLong("live")).isPositive();
    assertThat(p.getJsonObject("threads").getLong("daemon")).isPositive();
    assertThat(p.getJsonObject("threads").getLong("peak")).isGreaterThanOrEqualTo(
        p.getJsonObject("threads").getLong("live") / 2);
    assertThat(p.getJsonObject("cpu").getLong("timeMs")).isPositive();
    assertThat(p.getJsonObject("heap").getLong("committed")).isPositive();
    JsonObject sample = p.getJsonArray("history").getJsonObject(1);
    assertThat(sample.getJsonObject("pools").fieldNames()).containsAll(poolNames);
    assertThat(sample.getLong("classesLoaded")).isPositive();
    assertThat(sample.getJsonObject("gc").fieldNames()).isNotEmpty();

    assertThat(agent.state().counterFieldsDropped.sum()).as("the counter pack fits agent_counter_fields_max").isZero();
    assertThat(send("GET", "/api/jvm?app=no-such-app", null).statusCode()).isEqualTo(404);
    assertThat(send("GET", "/api/jvm", null).statusCode()).isEqualTo(400);
  }

  @Test
  void aThreadDumpComesBackWithTheTestThreadAndASecondOneAtOnceIsRefused() throws Exception {
    awaitJvm(j -> !j.getJsonArray("processes").isEmpty());
    CountDownLatch release = new CountDownLatch(1);
    Thread waiting = new Thread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "jvm-page-test-waiting-thread");
    waiting.setDaemon(true);
    waiting.start();
    try {
      JsonObject d = dump("");
      assertThat(d.getBoolean("complete")).isTrue();
      assertThat(d.getInteger("pid")).isEqualTo(pid);
      assertThat(d.getString("dump")).contains("\"jvm-page-test-waiting-thread\"")
          .contains("java.util.concurrent.CountDownLatch.await").contains("Thread dump of pid " + pid);
      long refusedBefore = agent.state().threadDumps.refused.sum();
      HttpResponse<String> again = send("POST", "/api/threaddump?app=jvm-app&pid=" + pid, null);
      assertThat(again.statusCode()).as(again.body()).isEqualTo(429);
      assertThat(again.headers().firstValue("retry-after")).isPresent();
      assertThat(agent.state().threadDumps.refused.sum()).isEqualTo(refusedBefore + 1);
    } finally {
      release.countDown();
    }
  }

  @Test
  void theCapsHoldWithManyThreadsAndALargeDumpComesInParts() throws Exception {
    awaitJvm(j -> !j.getJsonArray("processes").isEmpty());
    CountDownLatch release = new CountDownLatch(1);
    for (int i = 0; i < 400; i++) {
      Thread t = new Thread(() -> {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "jvm-page-many-" + i);
      t.setDaemon(true);
      t.start();
    }
    try {
      JsonObject few = dump("&threads=50&frames=4");
      String text = few.getString("dump");
      assertThat(text.lines().filter(l -> l.startsWith("\"")).count()).isEqualTo(50);
      assertThat(text).contains("more threads not shown (the limit of 50 threads)");
      for (String block : text.split("\n\n")) {
        assertThat(block.lines().filter(l -> l.startsWith("\tat ")).count()).isLessThanOrEqualTo(4);
      }

      JsonObject big = dump("&threads=1000&frames=30&bytes=200000");
      assertThat(big.getBoolean("complete")).isTrue();
      assertThat(big.getInteger("parts")).as("200 kB do not fit one datagram").isGreaterThanOrEqualTo(4);
      String all = big.getString("dump");
      assertThat(all.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(200_000);
      assertThat(all).contains("\"jvm-page-many-").contains("more threads not shown (the dump's size limit");
    } finally {
      release.countDown();
    }
  }

  @Test
  void anUnknownProcessIs404AtOnceAndASilentOne504WithinTheDeadline() throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<String> unknown = send("POST", "/api/threaddump?app=jvm-app&pid=1", null);
    assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
    assertThat(send("POST", "/api/threaddump?app=jvm-app&pid=x", null).statusCode()).isEqualTo(400);

    // a process that sends counters but never answers the back channel
    int silentPid = 999_999_7;
    try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      WireWriter w = new WireWriter(256);
      PackEncoder.encode(new RelayPack(new TagCountPack(0, 0, System.currentTimeMillis(), "app_counter",
          Map.of("app", "silent-app", "pid", String.valueOf(silentPid)), Map.of("tps", 0.0)), null), w);
      silent.send(new DatagramPacket(w.array(), w.size(),
          new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.udpPort())));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (send("GET", "/api/apps", null).body().indexOf("silent-app") < 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(20_000_000L); // poll interval
      }
      long timedOutBefore = agent.state().threadDumps.timedOut.sum();
      long t1 = System.nanoTime();
      HttpResponse<String> r = send("POST", "/api/threaddump?app=silent-app&pid=" + silentPid, null);
      Duration took = Duration.ofNanos(System.nanoTime() - t1);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(504);
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(DUMP_TIMEOUT_MS - 50))
          .isLessThan(Duration.ofMillis(DUMP_TIMEOUT_MS + 2000));
      assertThat(agent.state().threadDumps.timedOut.sum()).isEqualTo(timedOutBefore + 1);
    }
  }

  @Test
  void aThreadDumpPostFromAForeignPageIsRefused() throws Exception {
    long asked = agent.state().threadDumps.requested.sum();
    HttpResponse<String> r = send("POST", "/api/threaddump?app=jvm-app&pid=" + pid, "https://evil.example");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(agent.state().threadDumps.requested.sum()).as("nothing asked").isEqualTo(asked);
  }
}
