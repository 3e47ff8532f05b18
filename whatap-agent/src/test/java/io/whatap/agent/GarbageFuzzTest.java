package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.assembly.TxStep;
import io.whatap.agent.query.AppView;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.DecodeResult;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.PackEncoder;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * 100,000 random and mutated datagrams through the agent's receive path: nothing throws, every
 * structure stays within its bound, the garbage counters equal what an independent decode of the
 * same bytes says, and a valid transaction still comes through afterwards.
 */
class GarbageFuzzTest {
  private static final long SEED = 20_261_125L;
  private static final int MAX_BYTES = 4096;
  private static final Map<String, String> BOUNDS = Map.of("agent_udp_max_bytes", String.valueOf(MAX_BYTES),
      "agent_pending_max", "500", "agent_apps_max", "8", "agent_names_max", "20", "agent_recent_max", "50",
      "agent_kept_max", "20", "agent_hitmap_max", "200", "agent_profile_steps_max", "50");

  /** What the counters must say, worked out from the bytes alone. */
  private static final class Expected {
    long datagrams;
    long bytes;
    long oversized;
    long malformed;
    long unknown;
    long frames;

    void add(byte[] d) {
      datagrams++;
      bytes += d.length;
      if (d.length > MAX_BYTES) {
        oversized++;
        return;
      }
      DecodeResult r = PackDecoder.decode(d, 0, d.length);
      frames += r.framesRead();
      unknown += r.unknownFrames();
      if (!r.ok()) {
        malformed++;
      }
    }

    void check(AgentState s) {
      assertThat(s.datagrams.sum()).isEqualTo(datagrams);
      assertThat(s.bytes.sum()).isEqualTo(bytes);
      assertThat(s.oversized.sum()).isEqualTo(oversized);
      assertThat(s.malformed.sum()).isEqualTo(malformed);
      assertThat(s.unknownFrames.sum()).isEqualTo(unknown);
      assertThat(s.frames.sum()).isEqualTo(frames);
    }
  }

  private static List<byte[]> seeds() {
    List<byte[]> seeds = new ArrayList<>();
    seeds.add(Frames.of(w -> {
      Frames.start(w, 11, 901, 1000, "/seed");
      PackEncoder.txSql(w, 11, 1001, 2, 0, 0, 901, 1, "jdbc:x", "SELECT 1", 1);
      PackEncoder.txHttpc(w, 11, 1003, 2, 0, 0, 901, 1, "http://127.0.0.1:1/x", 12, "jdk");
      PackEncoder.txMsg(w, 11, 1005, 0, 0, 0, 901, 1, "t", "v", "d");
      PackEncoder.txMethod(w, 11, 1006, 1, 0, 0, 901, 1, "m", "s");
      PackEncoder.txDbConn(w, 11, 1007, 1, 0, 0, 901, 1, "jdbc:x");
      Frames.error(w, 11, 901, 1008);
      Frames.end(w, 11, 901, 1010, "/seed", 500);
    }));
    seeds.add(Frames.counters(902, "fuzz-app", Map.of("cpu_pct", 1.5, "heap_used", 10L, "gc_count", 1L)));
    seeds.add(Frames.of(w -> PackEncoder.activeStats(w, new int[] {1, 2, 3, 4, 5})));
    seeds.add(Frames.of(w -> PackEncoder.txParam(w, "25", "1", "1 5000 2 GET /x\n")));
    seeds.add(Frames.of(w -> PackEncoder.activeStack(w, "2, 1, at x")));
    seeds.add(Frames.of(w -> PackEncoder.dbConnPool(w, "1|jdbc:x|1|2")));
    seeds.add(Frames.of(w -> PackEncoder.txStartEnd(w, 13, 1000, 5, 0, 0, 903, 1, "h", "/se", "ip", "ua", "", "",
        false, 0, 0, 0, 0, "", "", "")));
    return seeds;
  }

  private static byte[] next(Random r, List<byte[]> seeds) {
    byte[] seed = seeds.get(r.nextInt(seeds.size()));
    switch (r.nextInt(8)) {
      case 0: { // pure noise
        byte[] b = new byte[r.nextInt(700)];
        r.nextBytes(b);
        return b;
      }
      case 1: { // noise that starts like a known frame type and a Python-family version
        byte[] b = new byte[9 + r.nextInt(300)];
        r.nextBytes(b);
        b[0] = (byte) new int[] {1, 2, 4, 7, 10, 11, 12, 30, 40, 41, 42, 244, 254, 255}[r.nextInt(14)];
        b[1] = 0;
        b[2] = 0;
        b[3] = 0x4e;
        b[4] = (byte) (0x20 + r.nextInt(16));
        return b;
      }
      case 2: { // bit flips
        byte[] b = seed.clone();
        for (int i = 1 + r.nextInt(8); i > 0; i--) {
          b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
        }
        return b;
      }
      case 3: // truncated
        return Arrays.copyOf(seed, r.nextInt(seed.length));
      case 4: { // a valid datagram followed by noise
        byte[] b = Arrays.copyOf(seed, seed.length + 1 + r.nextInt(64));
        for (int i = seed.length; i < b.length; i++) {
          b[i] = (byte) r.nextInt(256);
        }
        return b;
      }
      case 5: { // a frame's length field lies (huge, negative or off by a little)
        byte[] b = seed.clone();
        int v = new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, b.length, b.length - 8, 65_536}[r.nextInt(6)];
        b[5] = (byte) (v >>> 24);
        b[6] = (byte) (v >>> 16);
        b[7] = (byte) (v >>> 8);
        b[8] = (byte) v;
        return b;
      }
      case 6: { // two datagrams spliced at random points
        byte[] other = seeds.get(r.nextInt(seeds.size()));
        int a = r.nextInt(seed.length + 1);
        int o = r.nextInt(other.length + 1);
        byte[] b = Arrays.copyOf(seed, a + other.length - o);
        System.arraycopy(other, o, b, a, other.length - o);
        return b;
      }
      default: { // oversized, now and then; otherwise an intact seed
        if (r.nextInt(4) == 0) {
          byte[] b = new byte[MAX_BYTES + 1 + r.nextInt(2000)];
          r.nextBytes(b);
          return b;
        }
        return seed.clone();
      }
    }
  }

  @Test
  void hundredThousandRandomAndMutatedDatagramsThroughTheReceivePath() {
    long now = 1_800_000_000_000L;
    AgentState s = new AgentState(AgentSettings.of(BOUNDS), () -> now);
    s.backChannel((request, to) -> { });
    Random r = new Random(SEED);
    List<byte[]> seeds = seeds();
    InetSocketAddress[] sources = new InetSocketAddress[4];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = new InetSocketAddress("127.0.0.1", 41000 + i);
    }
    Expected expected = new Expected();
    for (int i = 0; i < 100_000; i++) {
      byte[] d = next(r, seeds);
      expected.add(d);
      s.accept(d, 0, d.length, sources[r.nextInt(sources.length)]);
    }
    expected.check(s);
    assertThat(expected.malformed).as("the mix is mostly garbage").isGreaterThan(30_000);
    assertThat(expected.oversized).isGreaterThan(1000);
    assertThat(expected.unknown).isGreaterThan(1000);

    assertThat(s.pendingCount()).isLessThanOrEqualTo(500);
    assertThat(s.apps().size()).isLessThanOrEqualTo(8);
    assertThat(s.recentCount()).isLessThanOrEqualTo(50);
    assertThat(s.keptCount()).isLessThanOrEqualTo(20);
    assertThat(s.hitmap(0, 0, 10_000).size()).isLessThanOrEqualTo(200);
    for (AppView a : s.apps()) {
      assertThat(s.names(a.id(), 0).size()).isLessThanOrEqualTo(21);
    }
    for (TxRecord t : s.transactions(0, false, 100)) {
      assertThat(t.steps.size()).isLessThanOrEqualTo(50);
    }

    long txid = 0x5eed_0000_0000_0001L;
    byte[] valid = Frames.of(w -> {
      Frames.start(w, txid, 31337, 5000, "/still-works");
      PackEncoder.txSql(w, txid, 5001, 3, 0, 0, 31337, 1, "jdbc:x", "SELECT 2", 1);
      Frames.end(w, txid, 31337, 5009, "/still-works", 200);
    });
    s.accept(valid, 0, valid.length, new InetSocketAddress("127.0.0.1", 42000));
    TxRecord t = s.transaction(txid);
    assertThat(t).isNotNull();
    assertThat(t.name).isEqualTo("/still-works");
    assertThat(t.elapsed).isEqualTo(9);
    assertThat(t.steps).extracting(TxStep::title).containsExactly("SELECT 2");
  }

  @Test
  void garbageOverARealSocketIsCountedAndAValidTransactionFollows() throws Exception {
    Map<String, String> o = new java.util.HashMap<>(BOUNDS);
    o.put("net_udp_port", "0");
    o.put("agent_http_port", "0");
    o.put("agent_udp_max_bytes", "1024");
    try (LocalAgent agent = LocalAgent.start(AgentSettings.of(o));
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      Random r = new Random(SEED + 1);
      InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.udpPort());
      long oversized = 0;
      long malformed = 0;
      for (int i = 0; i < 300; i++) {
        byte[] b = new byte[i % 10 == 0 ? 1025 + r.nextInt(30_000) : r.nextInt(900)];
        r.nextBytes(b);
        if (b.length > 1024) {
          oversized++;
        } else if (!PackDecoder.decode(b, 0, b.length).ok()) {
          malformed++;
        }
        send(socket, b, to);
        if (i % 10 == 9) {
          // paced, so that a small kernel receive buffer cannot drop any: the counts must be exact
          long sent = i + 1;
          await(() -> agent.state().datagrams.sum() == sent, sent + " datagrams received");
        }
      }
      AgentState s = agent.state();
      assertThat(s.oversized.sum()).isEqualTo(oversized);
      assertThat(s.malformed.sum()).isEqualTo(malformed);

      send(socket, Frames.transaction(99, 555, 1000, 12, "/after-garbage", false), to);
      await(() -> s.transaction(99) != null, "the valid transaction");
      assertThat(s.transaction(99).elapsed).isEqualTo(12);
    }
  }

  private static void send(DatagramSocket socket, byte[] b, InetSocketAddress to) throws IOException {
    socket.send(new DatagramPacket(b, b.length, to));
  }

  static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(1_000_000L);
    }
  }
}
