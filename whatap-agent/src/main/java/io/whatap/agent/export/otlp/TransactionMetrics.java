package io.whatap.agent.export.otlp;

import io.whatap.agent.assembly.TxRecord;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Transaction durations per application as a cumulative histogram with OpenTelemetry's default
 * HTTP duration buckets, for the OTLP metric {@code whatap.transaction.duration}. Fed by the
 * receiver thread (every completed transaction, before export_select), read by the OTLP exporter's
 * thread: single-writer counts, no lock. An application the agent forgot is forgotten here at the next
 * export.
 */
public final class TransactionMetrics {
  /** Bucket upper bounds in milliseconds (OpenTelemetry's http.server.request.duration advice, in ms). */
  static final long[] BOUNDS_MS = {5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10_000};

  /**
   * One application's histogram since {@link #start}. One writer (the receiver thread), so an
   * increment is a plain read and a release store, no read-modify-write; the exporter's thread
   * reads with acquire.
   */
  static final class Series {
    final long start;
    final AtomicLong sumMs = new AtomicLong();
    final AtomicLongArray buckets = new AtomicLongArray(BOUNDS_MS.length + 1);

    Series(long start) {
      this.start = start;
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
    s.sumMs.setRelease(s.sumMs.getPlain() + tx.elapsed);
    int b = bucket(tx.elapsed);
    s.buckets.setRelease(b, s.buckets.getPlain(b) + 1);
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
