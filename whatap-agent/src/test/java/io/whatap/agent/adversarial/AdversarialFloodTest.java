package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.whatap.agent.Frames;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.PackType;
import io.whatap.wire.WireWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The floods of issue 19 against one local agent process under -Xmx128m: after each, the process is
 * alive, its HTTP side answers, the bound that applies was reached (its drop counter moved, its
 * gauge stayed within the option) and a valid transaction sent afterwards shows in the API. The
 * generators are this class's own; sizes are chosen so that what is sent is several times what the
 * options let the agent keep (and than a 128 MB heap could hold unbounded), in a few seconds each.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdversarialFloodTest {
  private static final int HEAP_MB = 128;
  private static final long PENDING_BUDGET = 8L << 20;
  private static final long NAMES_BUDGET = 4L << 20;

  @TempDir
  static Path home;
  private ForkedAgent agent;
  private DatagramChannel udp;
  private InetSocketAddress to;
  private long nextTxid = 1_000_000;

  @BeforeAll
  void start() throws IOException {
    agent = ForkedAgent.start(home, HEAP_MB, 0, ForkedAgent.FITS_128M);
    udp = DatagramChannel.open();
    udp.bind(new InetSocketAddress("127.0.0.1", 0));
    to = new InetSocketAddress("127.0.0.1", agent.udpPort);
  }

  @AfterAll
  void stop() throws IOException {
    if (udp != null) {
      udp.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  @AfterEach
  void stillServes() throws IOException {
    assertThat(agent.alive()).as("the agent process is alive; its log:\n%s", agent.log()).isTrue();
    assertThat(agent.log()).doesNotContain("FATAL", "OutOfMemoryError");
    validTransactionShows();
  }

  private void send(byte[] datagram) throws IOException {
    udp.send(ByteBuffer.wrap(datagram), to);
  }

  /**
   * Sends datagrams in bursts, waiting (with a deadline) for the agent to have taken most of each
   * burst before the next, so that what a flood measures is what the agent kept, not what the
   * kernel dropped from a full socket buffer.
   */
  private void flood(int count, java.util.function.IntFunction<byte[]> datagram) throws IOException {
    int burst = 64;
    for (int i = 0; i < count; i += burst) {
      long before = meters().getLong("datagrams");
      int n = Math.min(burst, count - i);
      for (int k = 0; k < n; k++) {
        send(datagram.apply(i + k));
      }
      ForkedAgent.awaitTrue("the agent takes a burst", Duration.ofSeconds(30),
          () -> meters().getLong("datagrams") >= before + n / 2);
    }
  }

  private JsonObject meters() {
    try {
      ForkedAgent.Response r = agent.get("/api/agent");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return new JsonObject(r.body()).getJsonObject("meters");
    } catch (IOException e) {
      throw new AssertionError("the agent's API does not answer; its log:\n" + agent.log(), e);
    }
  }

  private void validTransactionShows() throws IOException {
    long txid = nextTxid++;
    byte[] tx = Frames.transaction(txid, 4242, System.currentTimeMillis(), 12, "/after/flood", false);
    ForkedAgent.awaitTrue("transaction " + txid + " sent after the flood shows in the API", Duration.ofSeconds(30),
        () -> {
          try {
            send(tx); // resent until seen: UDP may drop it behind a flood still draining
            ForkedAgent.Response r = agent.get("/api/transactions/" + txid);
            return r.status() == 200 && new JsonObject(r.body()).getString("name").equals("/after/flood");
          } catch (IOException e) {
            return false;
          }
        });
  }

  @Test
  void neverEndedTransactionsWithLargeSqlStepsStayWithinThePendingBudget() throws IOException {
    String sql = "select * from orders where note = '" + "x".repeat(8 * 1024 - 40) + "'";
    long base = nextTxid;
    nextTxid += 10_000;
    long now = System.currentTimeMillis();
    flood(3_000, i -> Frames.of(w -> {
      long txid = base + (i * 7919L) % 10_000; // 10,000 txids, revisited: steps accumulate on each
      if (i < 10_000) {
        Frames.start(w, txid, 77, now, "/never/ends/" + i);
      }
      for (int s = 0; s < 7; s++) {
        PackEncoder.txSql(w, txid, now + s, 1, 0, 0, 77, 1, "jdbc:h2:mem:x", sql, 0);
      }
    }));
    JsonObject m = meters();
    assertThat(m.getLong("pendingBytes")).isLessThanOrEqualTo(PENDING_BUDGET).isGreaterThan(PENDING_BUDGET / 2);
    assertThat(m.getLong("pendingEvictedForMemory")).isPositive();
  }

  @Test
  void manyApplicationsWithUniqueLongNonLatinNamesStayWithinTheNamesBudget() throws IOException {
    SplittableRandom random = new SplittableRandom(19);
    long now = System.currentTimeMillis();
    flood(3_000, i -> {
      StringBuilder name = new StringBuilder("/");
      for (int c = 0; c < 2048; c++) {
        name.append((char) (0x4E00 + random.nextInt(0x5000))); // CJK ideographs: 3 bytes each in UTF-8
      }
      int pid = 10_000 + i % 64;
      long txid = nextTxid++;
      return Frames.transaction(txid, pid, now, 5, name.toString(), false);
    });
    JsonObject m = meters();
    assertThat(m.getLong("namesBytes")).isLessThanOrEqualTo(NAMES_BUDGET).isPositive();
    assertThat(m.getLong("namesFolded")).isPositive();
  }

  @Test
  void activeStatsWith65000BandsAreCutToTheBandsLimit() throws IOException {
    // the application (pid 5150) is known at this socket's address once its counters arrive
    send(Frames.counters(5150, "bands-app", Map.of("cpu_pct", 1.0)));
    ForkedAgent.awaitTrue("the application registers", Duration.ofSeconds(20),
        () -> agentAppsContain("bands-app"));
    byte[] commas = ",".repeat(64_999).getBytes(StandardCharsets.US_ASCII); // 65,000 empty bands
    WireWriter w = new WireWriter(70_000);
    int mark = w.beginFrame(PackType.ACTIVE_STATS);
    byte[] body = new byte[2 + commas.length];
    body[0] = (byte) (commas.length >>> 8);
    body[1] = (byte) commas.length;
    System.arraycopy(commas, 0, body, 2, commas.length);
    w.writeBytes(body, 0, body.length);
    w.endFrame(mark);
    byte[] datagram = w.toByteArray();
    flood(800, i -> datagram);
    JsonObject m = meters();
    assertThat(m.getLong("bandsDropped")).isGreaterThanOrEqualTo(65_000L - 16);
    ForkedAgent.Response metrics = agent.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body().lines().filter(l -> l.startsWith("whatap_active_transactions{")).count())
        .as("per-application band series").isLessThanOrEqualTo(16L * 17);
    assertThat(metrics.body().lines().filter(l -> l.startsWith("whatap_transactions_in_flight{")).count())
        .as("per-application in-flight series (le of the known bounds, and +Inf)").isLessThanOrEqualTo(16L * 17);
  }

  private boolean agentAppsContain(String name) {
    try {
      return agent.get("/api/apps").body().contains("\"" + name + "\"");
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void garbageDatagramsAreCountedAndSkipped() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    long malformedBefore = meters().getLong("malformed");
    flood(4_000, i -> {
      byte[] b = new byte[1 + random.nextInt(i % 10 == 0 ? 65_000 : 2_000)];
      for (int k = 0; k < b.length; k++) {
        b[k] = (byte) random.nextInt(256);
      }
      if (i % 3 == 0 && b.length > 9) {
        b[0] = (byte) PackType.TX_SQL; // a known type with a lying header: the decoder's bounds at work
      }
      return b;
    });
    assertThat(meters().getLong("malformed")).isGreaterThan(malformedBefore);
  }

  @Test
  void aForeignHostIsRefusedAndEveryResponseCarriesTheSecurityHeaders() throws IOException {
    ForkedAgent.Response rebound = agent.get("/api/apps", "attacker.example:" + agent.httpPort, Duration.ofSeconds(20));
    assertThat(rebound.status()).isEqualTo(421);
    assertThat(rebound.body()).doesNotContain("\"apps\"");
    ForkedAgent.Response crossSite = ForkedAgent.request(agent.httpPort, "/api/apps", "127.0.0.1:" + agent.httpPort,
        Map.of("Origin", "http://attacker.example"), Duration.ofSeconds(20));
    assertThat(crossSite.status()).isEqualTo(403);
    for (String path : new String[] {"/", "/api/agent", "/metrics", "/api/nothing", "/no/such/page"}) {
      for (String host : new String[] {"localhost:" + agent.httpPort, "127.0.0.1:" + agent.httpPort,
          "evil.example"}) {
        ForkedAgent.Response r = agent.get(path, host, Duration.ofSeconds(20));
        assertThat(r.headers()).as(path + " with Host " + host)
            .containsEntry("x-content-type-options", "nosniff").containsEntry("x-frame-options", "DENY")
            .containsKey("content-security-policy");
        assertThat(r.headers().get("content-security-policy")).contains("frame-ancestors 'none'")
            .contains("default-src 'none'");
      }
    }
  }
}
