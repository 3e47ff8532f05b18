package io.whatap.agent.apps;

import io.whatap.agent.intervals.Aggregate;
import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.intervals.Intervals;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One application process as the agent knows it, keyed by (pid, app name): where its datagrams
 * come from (the back channel's address), its latest counters, its active transactions and its
 * aggregation. The name is provisional (agent's app_name) until the first counter pack or its
 * configuration names it. Guarded by the state lock: the fields are read and written only with
 * it held (the receiver applying a datagram, the timer closing an interval, a reader copying).
 */
public final class AppState implements Intervals.Member {
  private static final int STACKS_MAX = 256;

  public final int id;
  public final int pid;
  public String name;
  public boolean provisional;
  public String host = "";
  public String process = "";
  public InetSocketAddress source;
  /** The last thread dump the application answered (back channel "27"), and when (agent clock; 0: none). */
  public String threadDump;
  public long threadDumpAt;
  public final long firstSeen;
  public long lastHeard;
  /** When the last {@link io.whatap.wire.StartEndOffer} went to this application (agent clock). */
  public long startEndOfferedAt = Long.MIN_VALUE / 2;
  public final Aggregate aggregate;

  public Map<String, Object> counters = Map.of();
  public long countersAt;
  public long gcCountInterval;
  public long gcTimeInterval;
  public long gcCountTotal;
  public long gcTimeTotal;
  public int[] bands = new int[0];
  public long bandsAt;
  public List<ActiveTx> actives = List.of();
  public String dbPool;
  /**
   * Stacks fetched for running transactions, by txid; attached to the transaction when it ends. At
   * most 256, and half of agent_app_memory_kb (the oldest go first).
   */
  public final Map<Long, String> stacks;
  /** txids whose stack was asked for, so that each is asked once. */
  public final Map<Long, Boolean> stackRequested = bounded(STACKS_MAX);

  AppState(int id, int pid, String name, boolean provisional, long now, Aggregate aggregate, long stackBytesMax) {
    this.stacks = new StackMap(STACKS_MAX, stackBytesMax);
    this.id = id;
    this.pid = pid;
    this.name = name;
    this.provisional = provisional;
    this.firstSeen = now;
    this.lastHeard = now;
    this.aggregate = aggregate;
  }

  /** The last counter field as a number, or {@code def} when absent or not numeric. */
  public double counter(String field, double def) {
    Object v = counters.get(field);
    return v instanceof Number ? ((Number) v).doubleValue() : def;
  }

  /** A name that the application itself gave (counters or configuration) replaces the provisional one. */
  public void rename(String name) {
    this.name = name;
    this.provisional = false;
  }

  /**
   * Forgets what was kept about a running transaction that has now ended, and hands back the stack
   * fetched while it ran (or null).
   */
  public String transactionEnded(long txid) {
    String stack = null;
    if (!stacks.isEmpty()) { // a boxed lookup per transaction, for maps that are nearly always empty
      stack = stacks.remove(txid);
    }
    if (!stackRequested.isEmpty()) {
      stackRequested.remove(txid);
    }
    forgetActive(txid);
    return stack;
  }

  /** Drops an ended transaction from the last active list, which is up to one poll old. */
  private void forgetActive(long txid) {
    for (int i = 0; i < actives.size(); i++) {
      if (actives.get(i).txid() == txid) {
        List<ActiveTx> rest = new ArrayList<>(actives);
        rest.remove(i);
        actives = List.copyOf(rest);
        return;
      }
    }
  }

  public int activeTotal() {
    int n = 0;
    for (int b : bands) {
      n += b;
    }
    return n;
  }

  @Override
  public IntervalSummary closeInterval(long start, int durationMs, long freshSince) {
    boolean live = countersAt >= freshSince;
    IntervalSummary s = IntervalSummary.of(start, durationMs, aggregate.current(),
        bandsAt >= freshSince ? bands : new int[0], live ? counter("cpu_pct", Double.NaN) : Double.NaN,
        live ? (long) counter("heap_used", -1) : -1, live ? (long) counter("heap_max", -1) : -1, gcCountInterval,
        gcTimeInterval, live ? (long) counter("threads", -1) : -1);
    aggregate.close(s);
    gcCountInterval = 0;
    gcTimeInterval = 0;
    return s;
  }

  /** Stacks by txid, bounded in number and in the bytes of their texts. */
  private static final class StackMap extends LinkedHashMap<Long, String> {
    private final int max;
    private final long bytesMax;
    private long bytes;

    StackMap(int max, long bytesMax) {
      this.max = max;
      this.bytesMax = bytesMax;
    }

    private static long bytes(String stack) {
      return 96 + (stack == null ? 0 : 2L * stack.length());
    }

    @Override
    public String put(Long txid, String stack) {
      String old = super.put(txid, stack);
      bytes += bytes(stack) - (old == null ? 0 : bytes(old));
      return old;
    }

    @Override
    public String remove(Object txid) {
      boolean had = containsKey(txid);
      String old = super.remove(txid);
      if (had) {
        bytes -= bytes(old);
      }
      return old;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
      // evicts here rather than by the return value: more than one may have to go
      var it = entrySet().iterator();
      while ((size() > max || bytes > bytesMax) && size() > 1) {
        bytes -= bytes(it.next().getValue());
        it.remove();
      }
      return false;
    }
  }

  private static <K, V> Map<K, V> bounded(int max) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
