package io.whatap.bench;

import io.whatap.agent.LocalAgent;
import io.whatap.agent.export.ExporterMeters;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.WireWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The local agent's UDP receiver with span export to a collector that never answers (OTLP and
 * Zipkin both pointed at a socket that accepts and stays silent) against export off, interleaved
 * in the same run. Each round starts a fresh agent, sends the same transactions over loopback UDP
 * {@code --passes} times (50 per datagram, at most {@code --window} datagrams in flight, so the
 * kernel's buffer never overflows) and times until the agent has completed them all. Several
 * passes make a round long enough that the exporters' one-off work at start (their first batch,
 * encoded before the collector stalls them) weighs little, as in an agent that runs for days.
 *
 * <pre>java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.ExportReceiverThroughput \
 *     [--transactions 1000000] [--passes 3] [--rounds 9] [--window 32]</pre>
 */
public final class ExportReceiverThroughput {
  private static final int PER_DATAGRAM = 50;

  /** One round's outcome for one configuration. */
  record Round(boolean export, long transactions, double seconds, long completed, long queued, long dropped) {
    double perSecond() {
      return completed / seconds;
    }
  }

  public static void main(String[] args) throws Exception {
    int transactions = 1_000_000;
    int rounds = 9;
    int window = 32;
    int passes = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--transactions": transactions = Integer.parseInt(args[++i]); break;
        case "--rounds": rounds = Integer.parseInt(args[++i]); break;
        case "--window": window = Integer.parseInt(args[++i]); break;
        case "--passes": passes = Integer.parseInt(args[++i]); break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (transactions % PER_DATAGRAM != 0) {
      throw new IllegalArgumentException("--transactions must be a multiple of " + PER_DATAGRAM);
    }
    List<byte[]> datagrams = datagrams(transactions);
    System.out.println("Export receiver throughput: " + transactions + " transactions sent " + passes
        + " times per round (" + datagrams.size() + " datagrams of " + PER_DATAGRAM + "), " + rounds + " rounds, export off and on interleaved, "
        + Runtime.getRuntime().availableProcessors() + " CPUs");
    System.out.println("| round | export off tx/s | export on tx/s | on/off | on: queued / dropped (both exporters together) |");
    System.out.println("| --- | ---: | ---: | ---: | --- |");
    double[] ratios = new double[rounds];
    double[] off = new double[rounds];
    double[] on = new double[rounds];
    try (SilentCollector collector = new SilentCollector()) {
      run(false, datagrams, passes, window, collector); // warm-up: JIT, class loading
      run(true, datagrams, passes, window, collector);
      for (int r = 0; r < rounds; r++) {
        // alternate which goes first, so a drift in the machine's load favours neither
        Round a = run(r % 2 == 1, datagrams, passes, window, collector);
        Round b = run(r % 2 == 0, datagrams, passes, window, collector);
        Round withExport = a.export() ? a : b;
        Round without = a.export() ? b : a;
        off[r] = without.perSecond();
        on[r] = withExport.perSecond();
        ratios[r] = on[r] / off[r];
        System.out.println(String.format(Locale.ROOT, "| %d | %,.0f | %,.0f | %.3f | %,d / %,d |", r + 1, off[r], on[r],
            ratios[r], withExport.queued(), withExport.dropped()));
      }
    }
    Arrays.sort(ratios);
    System.out.println(String.format(Locale.ROOT,
        "median export off %,.0f tx/s, export on %,.0f tx/s; on/off median %.3f (range %.3f–%.3f)", median(off),
        median(on), median(ratios), ratios[0], ratios[ratios.length - 1]));
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  private static List<byte[]> datagrams(int transactions) {
    List<byte[]> out = new ArrayList<>();
    long t0 = System.currentTimeMillis();
    for (int first = 0; first < transactions; first += PER_DATAGRAM) {
      WireWriter w = new WireWriter(16 * 1024);
      for (int i = first; i < Math.min(transactions, first + PER_DATAGRAM); i++) {
        PackEncoder.txStartEnd(w, 1_000_000L + i, t0, 3 + (i % 40), 0, 0, 4242, 1, "shop.local", "/orders/" + (i % 64),
            "10.0.0.1", "bench", "", "", false, 0, 0, 0, 0, "", "", "");
      }
      out.add(w.toByteArray());
    }
    return out;
  }

  static Round run(boolean export, List<byte[]> datagrams, int passes, int window, SilentCollector collector)
      throws Exception {
    long transactions = (long) passes * datagrams.size() * PER_DATAGRAM;
    Map<String, String> o = new HashMap<>(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_active_poll_ms", "0", "agent_offer_start_end", "false"));
    if (export) {
      String url = "http://127.0.0.1:" + collector.socket.getLocalPort();
      o.put("export_otlp_endpoint", url);
      o.put("export_zipkin_endpoint", url + "/api/v2/spans");
      o.put("export_timeout_ms", "600000");
    }
    try (LocalAgent agent = LocalAgent.start(AgentSettings.of(o)); DatagramSocket udp = new DatagramSocket()) {
      InetAddress to = InetAddress.getLoopbackAddress();
      long start = System.nanoTime();
      long sent = 0;
      for (int pass = 0; pass < passes; pass++) {
        for (byte[] d : datagrams) {
          while (sent - agent.state().datagrams.sum() >= window) {
            LockSupport.parkNanos(20_000); // not a spin: on a small machine it would take the receiver's CPU
          }
          udp.send(new DatagramPacket(d, d.length, to, agent.udpPort()));
          sent++;
        }
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (agent.state().completed() < transactions && System.nanoTime() < deadline) {
        LockSupport.parkNanos(100_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long queued = 0;
      long dropped = 0;
      for (ExporterMeters m : agent.exports().meters()) {
        queued += m.queued.sum();
        dropped += m.droppedQueueFull.sum();
      }
      return new Round(export, transactions, seconds, agent.state().completed(), queued, dropped);
    }
  }

  /** Accepts every connection and never answers: the collector that costs an exporter the most. */
  static final class SilentCollector implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          held.add(socket.accept());
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-collector");

    SilentCollector() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private ExportReceiverThroughput() { }
}
