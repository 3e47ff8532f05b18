package io.whatap.bench;

import io.whatap.agent.LocalAgent;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.store.StoreWriter;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.WireWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * What the embedded store costs the local agent: the agent's CPU per transaction and the store's
 * bytes per hour at a steady offered rate (20,000 tx/s by default), with the store off and on, in
 * one run, interleaved (off, on, on, off, ...), each round a fresh in-process {@link LocalAgent} fed
 * over loopback UDP by a sender thread of this process. The agent's CPU is the CPU time of its own
 * threads (the receiver {@code whatap-agent-udp}, the timer, and the store's writer
 * {@code whatap-agent-store}), read from the JVM; the sender's, the collector's and the compiler's are
 * not counted. Bytes per hour: what the database file grew by in an "on" round (closed, so
 * checkpointed), over the round's length. Transactions: 50 names, one SQL statement each, 2% failed,
 * 1% slow, 50 to a datagram as the sender batches them.
 *
 * <pre>java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.StoreCost [--rate 20000] [--seconds 20] [--rounds 3]
 *     [--tx-per-interval 500]</pre>
 */
public final class StoreCost {
  private static final int PER_DATAGRAM = 50;
  private static final int PID = 31337;
  private static final String[] AGENT_THREADS = {"whatap-agent-udp", "whatap-agent-timer", "whatap-agent-store"};

  record Round(boolean store, long tx, long cpuNs, long storeThreadNs, long bytesAdded, long dropped, double seconds) {
    double nsPerTx() {
      return (double) cpuNs / tx;
    }
  }

  public static void main(String[] args) throws Exception {
    int rate = 20_000;
    int seconds = 20;
    int rounds = 3;
    String keptPerInterval = "500";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rate" -> rate = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--tx-per-interval" -> keptPerInterval = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Path dir = Files.createTempDirectory("store-cost");
    System.out.printf(Locale.ROOT, "store cost: %d tx/s offered for %d s per round, %d rounds of (off, on) interleaved,"
        + " agent_store_tx_per_interval=%s; %d cores, load average %.1f at start%n", rate, seconds, rounds,
        keptPerInterval, Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    List<Round> off = new ArrayList<>();
    List<Round> on = new ArrayList<>();
    long txid = 1;
    // warm-up (not counted): the compiler, the store's code paths, the database file's first pages
    Round warm = round(true, rate, Math.max(5, seconds / 2), dir.resolve("warm-up"), txid, keptPerInterval);
    txid += warm.tx + 1;
    System.out.printf(Locale.ROOT, "  warm-up (store on, not counted): %,d tx, agent CPU %.0f ns/tx%n", warm.tx,
        warm.nsPerTx());
    for (int r = 0; r < rounds; r++) {
      boolean[] order = r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false};
      for (boolean store : order) {
        Round result = round(store, rate, seconds, dir, txid, keptPerInterval);
        txid += result.tx + 1;
        (store ? on : off).add(result);
        System.out.printf(Locale.ROOT, "  round %d store %-3s: %,d tx, agent CPU %.0f ns/tx (store thread %.0f ns/tx),"
            + " store grew %,d bytes, store drops %d%n", r + 1, store ? "on" : "off", result.tx, result.nsPerTx(),
            (double) result.storeThreadNs / result.tx, result.bytesAdded, result.dropped);
      }
    }
    double offNs = median(off.stream().mapToDouble(Round::nsPerTx).toArray());
    double onNs = median(on.stream().mapToDouble(Round::nsPerTx).toArray());
    double bytesPerHour = median(on.stream().mapToDouble(x -> x.bytesAdded / x.seconds * 3600).toArray());
    System.out.printf(Locale.ROOT, "median agent CPU per transaction: store off %.0f ns, store on %.0f ns: %+.1f%%"
        + " (spread off %s, on %s)%n", offNs, onNs, 100 * (onNs / offNs - 1), spread(off), spread(on));
    System.out.printf(Locale.ROOT, "store bytes per hour at %,d tx/s: %.0f MB (median of the on rounds)%n", rate,
        bytesPerHour / 1e6);
  }

  private static String spread(List<Round> rounds) {
    double[] v = rounds.stream().mapToDouble(Round::nsPerTx).sorted().toArray();
    return String.format(Locale.ROOT, "%.0f..%.0f", v[0], v[v.length - 1]);
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static Round round(boolean store, int rate, int seconds, Path dir, long firstTxid, String keptPerInterval)
      throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_active_poll_ms", "0", "agent_store_enabled", String.valueOf(store), "agent_store_dir", dir.toString(),
        "agent_store_tx_per_interval", keptPerInterval));
    Path db = dir.resolve("agent.db");
    long before = Files.exists(db) ? Files.size(db) : 0;
    LocalAgent agent = LocalAgent.start(AgentSettings.of(o));
    if (store && agent.state().store() == null) {
      agent.close();
      throw new IllegalStateException("the store did not open: " + agent.state().storeError());
    }
    long tx = 0;
    long cpu;
    long storeCpu;
    long dropped;
    long started = System.nanoTime();
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSendBufferSize(4 << 20);
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long[] cpuBefore = agentCpu(threads);
      WireWriter w = new WireWriter(64 * 1024);
      long periodNs = 1_000_000_000L * PER_DATAGRAM / rate;
      long next = System.nanoTime();
      long end = next + seconds * 1_000_000_000L;
      long id = firstTxid;
      InetAddress loopback = InetAddress.getLoopbackAddress();
      while (System.nanoTime() < end) {
        w.reset();
        long now = System.currentTimeMillis();
        for (int k = 0; k < PER_DATAGRAM; k++, id++) {
          String name = "/api/resource/" + (id % 50) + "/{id}";
          boolean failed = id % 50 == 7;
          int elapsed = id % 100 == 3 ? 1200 : (int) (5 + id % 40);
          PackEncoder.txStart(w, id, now - elapsed, 0, 0, 0, PID, 1, "bench:8080", name, "10.0.0.1", "bench", "", "",
              false, "GET");
          PackEncoder.txSql(w, id, now - elapsed + 1, 2, 0, 0, PID, 1, "jdbc:postgresql://db/shop",
              "SELECT * FROM item WHERE id = ?", 1);
          if (failed) {
            PackEncoder.txError(w, id, now - 1, 0, 0, 0, PID, 1, "java.lang.IllegalStateException",
                "item " + id + " not found", "java.lang.IllegalStateException\n\tat bench.Item.find(Item.java:1)");
          }
          PackEncoder.txEnd(w, id, now, elapsed, 3, 0, PID, 1, "bench:8080", name, 0, 0, 0, 0, "", "", "",
              failed ? 500 : 200, false, 0);
        }
        socket.send(new DatagramPacket(w.array(), w.size(), loopback, agent.udpPort()));
        tx += PER_DATAGRAM;
        next += periodNs;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      long sent = tx;
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (agent.state().completed() < sent && System.nanoTime() < deadline) {
        LockSupport.parkNanos(10_000_000L);
      }
      tx = agent.state().completed();
      // the store writes an interval once it closes: wait for the next close and the writer
      StoreWriter writer = agent.state().storeWriter();
      if (writer != null) {
        long commits = writer.commits.sum();
        long commitDeadline = System.nanoTime() + agent.settings().intervalMs * 1_000_000L * 3 + 5_000_000_000L;
        while (writer.commits.sum() == commits && System.nanoTime() < commitDeadline) {
          LockSupport.parkNanos(10_000_000L);
        }
        writer.awaitIdle(30_000);
      }
      long[] cpuAfter = agentCpu(threads);
      cpu = cpuAfter[0] - cpuBefore[0];
      storeCpu = cpuAfter[1] - cpuBefore[1];
      dropped = writer == null ? 0 : writer.dropped.sum() + writer.intervalsDropped.sum();
    } finally {
      agent.close();
    }
    double wall = (System.nanoTime() - started) / 1e9;
    long after = Files.exists(db) ? Files.size(db) : 0;
    return new Round(store, tx, cpu, storeCpu, after - before, dropped, Math.min(wall, seconds));
  }

  /** CPU time (ns) of the agent's threads together, and of the store's writer alone. */
  private static long[] agentCpu(ThreadMXBean mx) {
    long all = 0;
    long store = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      for (String name : AGENT_THREADS) {
        if (t.getName().equals(name) && t.isAlive()) {
          long ns = Math.max(0, mx.getThreadCpuTime(t.getId()));
          all += ns;
          if (name.equals("whatap-agent-store")) {
            store += ns;
          }
        }
      }
    }
    return new long[] {all, store};
  }
}
