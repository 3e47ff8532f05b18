package io.whatap.agent.apps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One process's JVM figures as its counter packs carry them ({@code jvm_pools}, {@code jvm_gcs} and
 * flat numbers, see docs/wire-protocol.md): the latest pools and collectors, and a short history of
 * samples (the last {@link #HISTORY_MAX} counter packs, ten minutes at the default 5 s interval)
 * for the JVM page's charts. Bounded: at most {@link #POOLS_MAX} pools and {@link #COLLECTORS_MAX}
 * collectors per pack, names cut to {@link #NAME_CHARS_MAX}; what is beyond is counted. Guarded by
 * the state lock, like {@link AppState}; what it hands out is immutable.
 */
public final class JvmState {
  public static final int HISTORY_MAX = 120;
  public static final int POOLS_MAX = 32;
  public static final int COLLECTORS_MAX = 16;
  public static final int NAME_CHARS_MAX = 64;

  /** A memory pool: bytes used, committed and max (-1: undefined); heap or not. */
  public record Pool(String name, long used, long committed, long max, boolean heap) {
  }

  /** A collector: totals since the JVM started, and the change since the previous pack. */
  public record Collector(String name, long count, long timeMs, long countDelta, long timeMsDelta) {
  }

  /**
   * One counter pack's figures, compact (about 300 bytes): the scalars (-1 when the pack did not carry
   * one), each pool's used bytes by {@code poolNames}, each collector's change since the previous
   * pack by {@code gcNames}. The name arrays are shared between samples while they do not change;
   * nobody writes to the arrays after construction.
   */
  public record Sample(long at, double cpuPct, long heapUsed, long heapCommitted, long heapMax, long nonHeapUsed,
      long threads, long daemonThreads, long classesLoaded, long gcCount, long gcTimeMs, String[] poolNames,
      long[] poolUsed, String[] gcNames, long[] gcCountDelta, long[] gcTimeMsDelta) {
  }

  private final ArrayDeque<Sample> history = new ArrayDeque<>();
  private Sample latest;
  private List<Pool> pools = List.of();
  private List<Collector> collectors = List.of();
  private String[] poolNames = new String[0];
  private String[] gcNames = new String[0];
  /** Pools or collectors beyond the bounds, and malformed entries. */
  public long dropped;

  /** Takes the figures of one counter pack (state lock held). */
  public void record(Map<String, Object> fields, long now) {
    if (!fields.containsKey("jvm_pools") && !fields.containsKey("classes_loaded")) {
      return; // an application of an older build, or not a JVM: nothing for the JVM page
    }
    List<Pool> pools = pools(fields.get("jvm_pools"));
    List<Collector> collectors = collectors(fields.get("jvm_gcs"), this.collectors);
    this.pools = pools;
    this.collectors = collectors;
    poolNames = shared(poolNames, pools.stream().map(Pool::name).toArray(String[]::new));
    gcNames = shared(gcNames, collectors.stream().map(Collector::name).toArray(String[]::new));
    long[] poolUsed = new long[pools.size()];
    for (int i = 0; i < poolUsed.length; i++) {
      poolUsed[i] = pools.get(i).used();
    }
    long[] gcCountDelta = new long[collectors.size()];
    long[] gcTimeDelta = new long[collectors.size()];
    for (int i = 0; i < gcCountDelta.length; i++) {
      gcCountDelta[i] = collectors.get(i).countDelta();
      gcTimeDelta[i] = collectors.get(i).timeMsDelta();
    }
    Sample s = new Sample(now, number(fields, "cpu_pct", -1), (long) number(fields, "heap_used", -1),
        (long) number(fields, "heap_committed", -1), (long) number(fields, "heap_max", -1),
        (long) number(fields, "nonheap_used", -1), (long) number(fields, "threads", -1),
        (long) number(fields, "threads_daemon", -1), (long) number(fields, "classes_loaded", -1),
        (long) number(fields, "gc_count", -1), (long) number(fields, "gc_time_ms", -1), poolNames, poolUsed,
        gcNames, gcCountDelta, gcTimeDelta);
    latest = s;
    history.addLast(s);
    if (history.size() > HISTORY_MAX) {
      history.removeFirst();
    }
  }

  /** The latest sample, or null before the first. */
  public Sample latest() {
    return latest;
  }

  /** The pools of the latest pack. */
  public List<Pool> pools() {
    return pools;
  }

  /** The collectors of the latest pack. */
  public List<Collector> collectors() {
    return collectors;
  }

  /** The previous names when equal, so that samples share one array while the pools do not change. */
  private static String[] shared(String[] previous, String[] names) {
    if (java.util.Arrays.equals(previous, names)) {
      return previous;
    }
    return names;
  }

  /** The samples kept, oldest first (a copy). */
  public List<Sample> history() {
    return List.copyOf(history);
  }

  private List<Pool> pools(Object value) {
    if (!(value instanceof Map<?, ?> m)) {
      return List.of();
    }
    List<Pool> out = new ArrayList<>(Math.min(m.size(), POOLS_MAX));
    for (Map.Entry<?, ?> e : m.entrySet()) {
      long[] v = longs(e.getValue(), 4);
      if (v == null || out.size() >= POOLS_MAX) {
        dropped++;
        continue;
      }
      out.add(new Pool(cut(e.getKey()), v[0], v[1], v[2], v[3] == 1));
    }
    return List.copyOf(out);
  }

  private List<Collector> collectors(Object value, List<Collector> previous) {
    if (!(value instanceof Map<?, ?> m)) {
      return List.of();
    }
    List<Collector> out = new ArrayList<>(Math.min(m.size(), COLLECTORS_MAX));
    for (Map.Entry<?, ?> e : m.entrySet()) {
      long[] v = longs(e.getValue(), 2);
      if (v == null || out.size() >= COLLECTORS_MAX) {
        dropped++;
        continue;
      }
      String name = cut(e.getKey());
      long countDelta = 0;
      long timeDelta = 0;
      for (Collector p : previous) {
        if (p.name().equals(name)) {
          countDelta = Math.max(0, v[0] - p.count());
          timeDelta = Math.max(0, v[1] - p.timeMs());
        }
      }
      out.add(new Collector(name, v[0], v[1], countDelta, timeDelta));
    }
    return List.copyOf(out);
  }

  /** The first {@code n} numbers of a list value, or null when it is not that. */
  private static long[] longs(Object value, int n) {
    if (!(value instanceof List<?> l) || l.size() < n) {
      return null;
    }
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      if (!(l.get(i) instanceof Number x)) {
        return null;
      }
      out[i] = x.longValue();
    }
    return out;
  }

  private static String cut(Object key) {
    String s = String.valueOf(key);
    return s.length() > NAME_CHARS_MAX ? s.substring(0, NAME_CHARS_MAX) : s;
  }

  private static double number(Map<String, Object> fields, String key, double def) {
    return fields.get(key) instanceof Number n ? n.doubleValue() : def;
  }
}
