package io.whatap.agent.store;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.assembly.TxStep;
import io.whatap.agent.intervals.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the store will write for one interval, gathered on the writer thread from the completed
 * transactions: per application and name (statistics, CPU), per SQL statement and per called URL
 * (by application and name), per error group, and the transactions worth keeping. Each map holds at
 * most {@link #KEYS_MAX} keys; more fold into an {@link #OTHER} key (counted), so a flood of distinct
 * statements cannot grow it.
 */
final class IntervalBatch {
  /** Keys per map and interval (MemoryPlan.STORE_BATCHES_BYTES counts on it). */
  static final int KEYS_MAX = 2000;
  static final String OTHER = "(other)";
  /** Texts whose pattern is remembered; the memory is emptied when full. */
  static final int PATTERNS_MAX = 4096;
  /** Example transactions kept per error group and interval. */
  static final int EXAMPLES_MAX = 3;

  record StepKey(String app, String name, String text) {
  }

  record ErrorKey(String app, String errorClass, String pattern) {
  }

  static final class NameAgg {
    final Stats stats = new Stats();
    long cpuMs;
    /** Whether a transaction of this name was kept as the interval's sample. */
    boolean sampled;
  }

  /** SQL (rows: fetched) or call (rows unused) aggregates of one key. */
  static final class StepAgg {
    long count;
    long errors;
    long sumMs;
    long maxMs;
    long rows;
  }

  static final class ErrorAgg {
    long count;
    String message;
    final List<Long> examples = new ArrayList<>(EXAMPLES_MAX);
  }

  final long start;
  /** By application, then by name: two lookups of strings whose hash codes are cached, no key object per transaction. */
  final Map<String, Map<String, NameAgg>> names = new HashMap<>();
  private int nameKeys;
  final Map<StepKey, StepAgg> sql = new HashMap<>();
  final Map<StepKey, StepAgg> calls = new HashMap<>();
  final Map<ErrorKey, ErrorAgg> errors = new HashMap<>();
  final List<TxRecord> kept = new ArrayList<>();
  /** Patterns of the texts seen (SQL, messages), shared by the writer's batches. */
  private final Map<String, String> patterns;
  private final int keptMax;
  private final long keptBytesMax;
  private long keptBytes;
  private final long slowMs;
  long notKept;
  long folded;

  /**
   * @param keptMax      transactions kept with their steps (agent_store_tx_per_interval)
   * @param keptBytesMax their estimated bytes at most (half of agent_store_queue_mb)
   */
  IntervalBatch(long start, int keptMax, long keptBytesMax, long slowMs, Map<String, String> patterns) {
    this.start = start;
    this.patterns = patterns;
    this.keptMax = keptMax;
    this.keptBytesMax = keptBytesMax;
    this.slowMs = slowMs;
  }

  void add(TxRecord t) {
    String app = t.app == null ? "" : t.app;
    NameAgg n = name(app, t.name);
    n.stats.add(t.elapsed, t.error);
    n.cpuMs += t.cpuMs;
    for (int i = 0; i < t.steps.size(); i++) {
      TxStep s = t.steps.get(i);
      if (s.kind().equals("sql")) {
        StepAgg a = slot(sql, new StepKey(app, t.name, pattern(s.title())), new StepKey(app, t.name, OTHER),
            StepAgg::new);
        step(a, s, t.error);
        a.rows += Math.max(0, s.number());
      } else if (s.kind().equals("httpc")) {
        step(slot(calls, new StepKey(app, t.name, s.title() == null ? "" : s.title()),
            new StepKey(app, t.name, OTHER), StepAgg::new), s, t.error);
      }
    }
    if (t.error) {
      String cls = t.errorClass == null || t.errorClass.isEmpty() ? "(status " + t.status + ")" : t.errorClass;
      ErrorAgg e = slot(errors, new ErrorKey(app, cls, pattern(t.errorMessage)), new ErrorKey(app, OTHER, ""),
          ErrorAgg::new);
      e.count++;
      if (e.message == null) {
        e.message = t.errorMessage;
      }
      if (e.examples.size() < EXAMPLES_MAX) {
        e.examples.add(t.txid);
      }
    }
    keep(t, n);
  }

  /** Failed and slow transactions first come, first kept; of the rest, the first of each name in the interval. */
  private void keep(TxRecord t, NameAgg name) {
    if (kept.size() >= keptMax || keptBytes + t.estimatedBytes > keptBytesMax) {
      notKept++;
    } else if (t.error || t.elapsed >= slowMs || !name.sampled) {
      name.sampled |= !(t.error || t.elapsed >= slowMs);
      kept.add(t);
      keptBytes += t.estimatedBytes;
    } else {
      notKept++;
    }
  }

  private NameAgg name(String app, String name) {
    Map<String, NameAgg> byName = names.get(app);
    if (byName == null) {
      byName = new HashMap<>();
      names.put(app, byName);
    }
    NameAgg n = byName.get(name);
    if (n == null) {
      if (nameKeys >= KEYS_MAX) {
        folded++;
        n = byName.get(OTHER);
        if (n != null) {
          return n;
        }
        name = OTHER;
      }
      n = new NameAgg();
      byName.put(name, n);
      nameKeys++;
    }
    return n;
  }

  /** The pattern of a text, remembered: the same statements and messages come again and again. */
  private String pattern(String text) {
    if (text == null) {
      return "";
    }
    String p = patterns.get(text);
    if (p == null) {
      if (patterns.size() >= PATTERNS_MAX) {
        patterns.clear();
      }
      p = TextPattern.of(text);
      patterns.put(text, p);
    }
    return p;
  }

  /** CPU (ms) of the transactions of one application ("" : all of them). */
  long cpuMs(String app) {
    long sum = 0;
    for (Map.Entry<String, Map<String, NameAgg>> e : names.entrySet()) {
      if (app.isEmpty() || e.getKey().equals(app)) {
        for (NameAgg n : e.getValue().values()) {
          sum += n.cpuMs;
        }
      }
    }
    return sum;
  }

  private static void step(StepAgg a, TxStep s, boolean error) {
    a.count++;
    if (error) {
      a.errors++;
    }
    a.sumMs += s.elapsed();
    a.maxMs = Math.max(a.maxMs, s.elapsed());
  }

  private <K, V> V slot(Map<K, V> map, K key, K other, java.util.function.Supplier<V> make) {
    V v = map.get(key);
    if (v == null) {
      if (map.size() >= KEYS_MAX) {
        folded++;
        key = other;
        v = map.get(key);
      }
      if (v == null) {
        v = make.get();
        map.put(key, v);
      }
    }
    return v;
  }
}
