package io.whatap.bench;

import io.whatap.runtime.UdpSender;
import io.whatap.trace.TraceContext;
import io.whatap.trace.Tracer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The UDP path alone: how many transactions per second one process can push to a receiver on
 * loopback with nothing lost, and where loss starts. For each offered rate a fresh agent and
 * receiver run for a fixed time; producers start and end transactions (3 steps each) on a
 * fixed schedule; then the sender's counters are set against the receiver's and the kernel's
 * UDP receive-buffer error counter.
 *
 * <pre>java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.UdpPathThroughput \
 *     [--rates 10000,20000,...,max] [--seconds 5] [--threads 1] [--rcvbuf 8388608] [--decode]
 *     [--queue 8192]</pre>
 */
public final class UdpPathThroughput {
  /** One rate's outcome: what was offered, what each side counted. */
  public record Row(String rate, long offered, double achievedPerSec, long queued, long droppedQueueFull,
      long framesSent, long framesDropped, long datagramsSent, long bytesSent, long sendErrors,
      long sinkDatagrams, long sinkBytes, long sinkFrames, long sinkTxEnds, long kernelRcvbufErrors) {

    long lostInKernel() {
      return datagramsSent - sinkDatagrams;
    }

    boolean zeroLoss() {
      return droppedQueueFull == 0 && framesDropped == 0 && sinkTxEnds == offered && lostInKernel() == 0;
    }

    /** The sender's and the receiver's books balance when what the kernel lost explains every gap. */
    boolean countersAgree() {
      return queued + droppedQueueFull == offered && (lostInKernel() > 0 || sinkTxEnds == queued)
          && (lostInKernel() > 0 || sinkFrames == framesSent);
    }
  }

  public static void main(String[] args) throws Exception {
    List<String> rates = List.of("10000", "20000", "50000", "100000", "200000", "400000", "max");
    int seconds = 5;
    int threads = 1;
    int rcvbuf = 8 * 1024 * 1024;
    int queue = 8192;
    boolean decode = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--rates": rates = List.of(args[++i].split(",")); break;
        case "--seconds": seconds = Integer.parseInt(args[++i]); break;
        case "--threads": threads = Integer.parseInt(args[++i]); break;
        case "--rcvbuf": rcvbuf = Integer.parseInt(args[++i]); break;
        case "--queue": queue = Integer.parseInt(args[++i]); break;
        case "--decode": decode = true; break;
        default: throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    System.out.println("UDP path: " + threads + " producer thread(s), " + seconds + " s per rate, sender queue "
        + queue + ", receiver SO_RCVBUF requested " + rcvbuf + (decode ? ", receiver decodes every pack" : ", receiver counts frames"));
    System.out.println(header());
    List<Row> rows = new ArrayList<>();
    for (String rate : rates) {
      Row r = run(rate, seconds, threads, rcvbuf, queue, decode);
      rows.add(r);
      System.out.println(format(r));
    }
    long best = 0;
    for (Row r : rows) {
      if (r.zeroLoss() && !"max".equals(r.rate())) {
        best = Math.max(best, Long.parseLong(r.rate()));
      }
    }
    System.out.println("highest offered rate with zero loss: " + best + " tx/s");
  }

  static Row run(String rate, int seconds, int threads, int rcvbuf, int queue, boolean decode) throws Exception {
    long kernelBefore = udpRcvbufErrors();
    try (LoopbackSink sink = new LoopbackSink(rcvbuf, decode);
        BenchAgent bench = BenchAgent.start(sink.port(), "net_send_queue_size", String.valueOf(queue))) {
      Tracer tracer = bench.agent.tracer;
      long perThread = "max".equals(rate) ? Long.MAX_VALUE : Long.parseLong(rate) / threads;
      long durationNanos = seconds * 1_000_000_000L;
      LongAdder offered = new LongAdder();
      Thread[] producers = new Thread[threads];
      long start = System.nanoTime();
      for (int t = 0; t < threads; t++) {
        producers[t] = new Thread(() -> produce(tracer, perThread, start, durationNanos, offered), "producer-" + t);
        producers[t].start();
      }
      for (Thread p : producers) {
        p.join();
      }
      double elapsedSec = (System.nanoTime() - start) / 1e9;
      bench.awaitDrained(10_000);
      sink.awaitQuiet(300, 10_000);
      UdpSender s = bench.agent.sender;
      return new Row(rate, offered.sum(), offered.sum() / elapsedSec, s.transactionsQueued(),
          s.transactionsDropped.sum(), s.framesSent.sum(), s.framesDropped.sum(), s.datagramsSent.sum(),
          s.bytesSent.sum(), s.sendErrors.sum(), sink.datagrams(), sink.bytes(), sink.frames(), sink.txEnds(),
          udpRcvbufErrors() - kernelBefore);
    }
  }

  /** Starts and ends transactions on a 1 ms schedule at {@code perSecond} (unpaced when MAX_VALUE). */
  private static void produce(Tracer tracer, long perSecond, long start, long durationNanos, LongAdder offered) {
    long sent = 0;
    int i = 0;
    while (true) {
      long elapsed = System.nanoTime() - start;
      if (elapsed >= durationNanos) {
        break;
      }
      long due = perSecond == Long.MAX_VALUE ? sent + 256 : (long) (elapsed / 1e9 * perSecond) + 1;
      while (sent < due) {
        TraceContext ctx = tracer.start("/udp-path/" + (i++ & 15));
        long now = System.currentTimeMillis();
        ctx.sql("jdbc:postgresql://db:5432/shop", "select id, total from orders where customer_id = ?", now, 1, 3);
        ctx.httpCall("http://inventory:8080/items", now, 2, 200);
        ctx.method("com.example.OrderService.load", now, 0);
        tracer.end(ctx, 200, null);
        sent++;
      }
      if (perSecond != Long.MAX_VALUE) {
        LockSupport.parkNanos(1_000_000L - (System.nanoTime() - start) % 1_000_000L);
      }
    }
    offered.add(sent);
  }

  /** The kernel's count of UDP datagrams dropped for a full receive buffer (whole host), or -1. */
  static long udpRcvbufErrors() {
    try {
      return parseRcvbufErrors(Files.readAllLines(Path.of("/proc/net/snmp")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static long parseRcvbufErrors(List<String> snmp) {
    String[] names = null;
    for (String line : snmp) {
      if (!line.startsWith("Udp:")) {
        continue;
      }
      String[] parts = line.trim().split("\\s+");
      if (names == null) {
        names = parts;
      } else {
        for (int i = 1; i < names.length && i < parts.length; i++) {
          if (names[i].equals("RcvbufErrors")) {
            return Long.parseLong(parts[i]);
          }
        }
      }
    }
    return -1;
  }

  static String header() {
    return "| offered rate | achieved tx/s | sender: queued / dropped (queue full) | frames sent / dropped | datagrams sent"
        + " | receiver: datagrams / frames / TX_END | lost in kernel (datagrams) | kernel RcvbufErrors | zero loss | counters agree |\n"
        + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |";
  }

  static String format(Row r) {
    return String.format(Locale.ROOT, "| %s | %,.0f | %,d / %,d | %,d / %,d | %,d | %,d / %,d / %,d | %,d | %d | %s | %s |",
        r.rate(), r.achievedPerSec(), r.queued(), r.droppedQueueFull(), r.framesSent(), r.framesDropped(),
        r.datagramsSent(), r.sinkDatagrams(), r.sinkFrames(), r.sinkTxEnds(), r.lostInKernel(),
        r.kernelRcvbufErrors(), r.zeroLoss() ? "yes" : "no", r.countersAgree() ? "yes" : "no");
  }

  private UdpPathThroughput() { }
}
