package io.whatap.agent.backchannel;

import io.whatap.wire.TxParamPack;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * Thread dumps taken on demand through the back channel: a request {@code 7003,<id>,threads=N
 * frames=M bytes=B} to the address a process's datagrams come from, and its answer, TX_PARAM frames
 * {@code 7003, <id>, "k/n\n" + text} (one per datagram), put together here. At most one request per
 * process per {@code agent_thread_dump_interval_ms} (more are refused and counted), at most
 * {@link #PENDING_MAX} waiting at once; a request not fully answered within its deadline ends with
 * what arrived (marked incomplete) or, when nothing did, with a {@link TimeoutException}. Answers
 * with an id not asked, or from another address than the one asked, are ignored and counted.
 */
public final class ThreadDumps {
  public static final String PARAM_ID = "7003";
  static final int PENDING_MAX = 16;
  static final int PARTS_MAX = 16;
  /** Processes whose last request time is kept for the rate limit; beyond, the oldest are forgotten. */
  static final int RATE_ENTRIES_MAX = 4096;

  public final LongAdder requested = new LongAdder();
  public final LongAdder answered = new LongAdder();
  public final LongAdder incomplete = new LongAdder();
  public final LongAdder timedOut = new LongAdder();
  /** Refused: the same process was asked less than the interval ago, or too many were waiting. */
  public final LongAdder refused = new LongAdder();
  public final LongAdder partsIgnored = new LongAdder();

  /** A dump as it arrived: its text, how many parts it had and how many came. */
  public record Dump(String text, int parts, int partsReceived) {
    public boolean complete() {
      return partsReceived == parts;
    }
  }

  /** What asking gave: a future answer, or a refusal and how long until the process may be asked again. */
  public record Ask(CompletableFuture<Dump> answer, String refusal, long retryAfterMs) {
  }

  private final BiConsumer<String, InetSocketAddress> send;
  private final long intervalMs;
  private final AtomicLong ids = new AtomicLong();
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Integer, Long> lastAsked = new ConcurrentHashMap<>();

  private static final class Pending {
    final InetSocketAddress from;
    final CompletableFuture<Dump> answer = new CompletableFuture<>();
    String[] parts;
    int received;

    Pending(InetSocketAddress from) {
      this.from = from;
    }

    synchronized Dump dump() {
      StringBuilder sb = new StringBuilder();
      int n = parts == null ? 0 : parts.length;
      for (int i = 0; i < n; i++) {
        sb.append(parts[i] != null ? parts[i] : "\n[part " + (i + 1) + " of " + n + " did not arrive]\n");
      }
      return new Dump(sb.toString(), n, received);
    }
  }

  public ThreadDumps(BiConsumer<String, InetSocketAddress> send, long intervalMs) {
    this.send = send;
    this.intervalMs = intervalMs;
  }

  /**
   * Asks the process {@code pid} at {@code to} for a dump within the bounds in {@code bounds}
   * ("threads=N frames=M bytes=B"), answering within {@code timeoutMs}.
   */
  public Ask ask(int pid, InetSocketAddress to, String bounds, long nowMs, long timeoutMs) {
    if (pending.size() >= PENDING_MAX) {
      refused.increment();
      return new Ask(null, PENDING_MAX + " thread dumps are being waited for already", 1000);
    }
    if (lastAsked.size() >= RATE_ENTRIES_MAX) {
      lastAsked.entrySet().removeIf(e -> nowMs - e.getValue() >= intervalMs);
    }
    long[] previous = {Long.MIN_VALUE};
    lastAsked.compute(pid, (k, last) -> {
      if (last != null && nowMs - last < intervalMs) {
        previous[0] = last;
        return last;
      }
      return nowMs;
    });
    if (previous[0] != Long.MIN_VALUE) {
      refused.increment();
      return new Ask(null, "a thread dump of pid " + pid + " was asked less than agent_thread_dump_interval_ms="
          + intervalMs + " ago", intervalMs - (nowMs - previous[0]));
    }
    String id = "td" + ids.incrementAndGet();
    Pending p = new Pending(to);
    pending.put(id, p);
    requested.increment();
    CompletableFuture.delayedExecutor(timeoutMs, TimeUnit.MILLISECONDS).execute(() -> expire(id));
    send.accept(PARAM_ID + "," + id + "," + bounds, to);
    return new Ask(p.answer, null, 0);
  }

  private void expire(String id) {
    Pending p = pending.remove(id);
    if (p == null) {
      return;
    }
    Dump d = p.dump();
    if (d.partsReceived() > 0) {
      incomplete.increment();
      p.answer.complete(d);
    } else {
      timedOut.increment();
      p.answer.completeExceptionally(new TimeoutException("the application did not answer"));
    }
  }

  /** One part of an answer: {@code "k/n\n" + text}. */
  public void part(TxParamPack x, InetSocketAddress from) {
    Pending p = pending.get(x.requestId());
    String data = x.data();
    int nl = data.indexOf('\n');
    int slash = nl < 0 ? -1 : data.lastIndexOf('/', nl);
    if (p == null || !p.from.equals(from) || slash < 0) {
      partsIgnored.increment();
      return;
    }
    int k;
    int n;
    try {
      k = Integer.parseInt(data.substring(0, slash));
      n = Integer.parseInt(data.substring(slash + 1, nl));
    } catch (NumberFormatException e) {
      partsIgnored.increment();
      return;
    }
    boolean done;
    synchronized (p) {
      if (n < 1 || n > PARTS_MAX || k < 1 || k > n || (p.parts != null && p.parts.length != n)) {
        partsIgnored.increment();
        return;
      }
      if (p.parts == null) {
        p.parts = new String[n];
      }
      if (p.parts[k - 1] == null) {
        p.received++;
      }
      p.parts[k - 1] = data.substring(nl + 1);
      done = p.received == n;
    }
    if (done && pending.remove(x.requestId(), p)) {
      answered.increment();
      p.answer.complete(p.dump());
    }
  }

  /** Requests waiting for their answer now. */
  public int pendingCount() {
    return pending.size();
  }
}
