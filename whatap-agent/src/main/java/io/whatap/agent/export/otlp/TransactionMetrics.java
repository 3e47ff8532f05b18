package io.whatap.agent.export.otlp;

import io.whatap.agent.assembly.TxRecord;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Transaction durations per application as a cumulative histogram with OpenTelemetry's default
 * HTTP duration buckets, for the OTLP metric {@code whatap.transaction.duration}. Fed by the
 * receiver thread (every completed transaction, before export_select), read by the OTLP exporter's
 * thread: counts are atomics, no lock. An application the agent forgot is forgotten here at the next
 * export.
 */
public final class TransactionMetrics {
  /** Bucket upper bounds in milliseconds (OpenTelemetry's http.server.request.duration advice, in ms). */
  static final long[] BOUNDS_MS = {5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10_000};

  /** One application's histogram since {@link #start}. */
  static final class Series {
    final long start;
    final LongAdder sumMs = new LongAdder();
    final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MS.length + 1);

    Series(long start) {
      this.start = start;
    }

    long count() {
      long n = 0;
      for (int i = 0; i < buckets.length(); i++) {
        n += buckets.get(i);
      }
      return n;
    }
  }

  private final long start;
  private final ConcurrentHashMap<Integer, Series> byApp = new ConcurrentHashMap<>();

  public TransactionMetrics(long start) {
    this.start = start;
  }

  /** Counts {@code tx} under its application. */
  public void add(TxRecord tx) {
    Series s = byApp.get(tx.appId);
    if (s == null) {
      s = byApp.computeIfAbsent(tx.appId, id -> new Series(Math.max(start, tx.receivedAt - tx.elapsed)));
    }
    s.sumMs.add(tx.elapsed);
    s.buckets.incrementAndGet(bucket(tx.elapsed));
  }

  static int bucket(long ms) {
    for (int i = 0; i < BOUNDS_MS.length; i++) {
      if (ms <= BOUNDS_MS[i]) {
        return i;
      }
    }
    return BOUNDS_MS.length;
  }

  Series series(int appId) {
    return byApp.get(appId);
  }

  /** Forgets the applications not in {@code live} (the agent forgot them). */
  void retain(Set<Integer> live) {
    byApp.keySet().retainAll(live);
  }
}
