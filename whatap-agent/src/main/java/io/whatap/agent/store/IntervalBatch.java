package io.whatap.agent.store;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.assembly.TxStep;
import io.whatap.agent.intervals.Stats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  /** Example transactions kept per error group and interval. */
  static final int EXAMPLES_MAX = 3;

  record NameKey(String app, String name) {
  }

  record StepKey(String app, String name, String text) {
  }

  record ErrorKey(String app, String errorClass, String pattern) {
  }

  static final class NameAgg {
    final Stats stats = new Stats();
    long cpuMs;
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
  final Map<NameKey, NameAgg> names = new HashMap<>();
  final Map<StepKey, StepAgg> sql = new HashMap<>();
  final Map<StepKey, StepAgg> calls = new HashMap<>();
  final Map<ErrorKey, ErrorAgg> errors = new HashMap<>();
  /** CPU (ms) of the transactions per application ("" for all). */
  final Map<String, Long> appCpu = new HashMap<>();
  final List<TxRecord> kept = new ArrayList<>();
  private final Set<NameKey> sampled = new HashSet<>();
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
  IntervalBatch(long start, int keptMax, long keptBytesMax, long slowMs) {
    this.start = start;
    this.keptMax = keptMax;
    this.keptBytesMax = keptBytesMax;
    this.slowMs = slowMs;
  }

  void add(TxRecord t) {
    String app = t.app == null ? "" : t.app;
    NameAgg n = slot(names, new NameKey(app, t.name), new NameKey(app, OTHER), NameAgg::new);
    n.stats.add(t.elapsed, t.error);
    n.cpuMs += t.cpuMs;
    appCpu.merge(app, t.cpuMs, Long::sum);
    appCpu.merge("", t.cpuMs, Long::sum);
    for (int i = 0; i < t.steps.size(); i++) {
      TxStep s = t.steps.get(i);
      if (s.kind().equals("sql")) {
        StepAgg a = slot(sql, new StepKey(app, t.name, TextPattern.of(s.title())), new StepKey(app, t.name, OTHER),
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
      ErrorAgg e = slot(errors, new ErrorKey(app, cls, TextPattern.of(t.errorMessage)), new ErrorKey(app, OTHER, ""),
          ErrorAgg::new);
      e.count++;
      if (e.message == null) {
        e.message = t.errorMessage;
      }
      if (e.examples.size() < EXAMPLES_MAX) {
        e.examples.add(t.txid);
      }
    }
    keep(t, new NameKey(app, t.name));
  }

  /** Failed and slow transactions first come, first kept; of the rest, the first of each name in the interval. */
  private void keep(TxRecord t, NameKey name) {
    if (kept.size() >= keptMax || keptBytes + t.estimatedBytes > keptBytesMax) {
      notKept++;
    } else if (t.error || t.elapsed >= slowMs || sampled.add(name)) {
      kept.add(t);
      keptBytes += t.estimatedBytes;
    } else {
      notKept++;
    }
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
