package io.whatap.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The transactions running now, in a fixed-size open-addressing table: registering and
 * unregistering are a compare-and-set each, and a full table refuses (and counts) instead of
 * growing. The timer thread scans it for active statistics and evicts entries older than the
 * eviction bound so a transaction whose end was never seen cannot leak.
 */
public final class ActiveRegistry {
  private static final int PROBES = 8;
  /** Slots of one cache line (compressed references) that a thread tries first. */
  private static final int HOME_RUN = 16;

  private final AtomicReferenceArray<TraceContext> slots;
  private final int mask;
  private final LongAdder rejected = new LongAdder();
  private final LongAdder evicted = new LongAdder();

  public ActiveRegistry(int capacity) {
    int size = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
    slots = new AtomicReferenceArray<>(size);
    mask = size - 1;
  }

  public int capacity() {
    return slots.length();
  }

  /**
   * Tries the starting thread's own run of slots first, then slots picked by the txid. A
   * thread that serves one request at a time takes back the slot it freed itself, on a cache
   * line its core already holds, instead of a random line last written by another core; an
   * event loop with many requests in flight spills over to the random slots.
   */
  boolean register(TraceContext ctx) {
    int home = (int) ((ctx.threadId() * 0x9E3779B97F4A7C15L) >>> 40) & mask & -HOME_RUN;
    for (int i = 0; i < HOME_RUN; i++) {
      int slot = (home + i) & mask;
      if (slots.get(slot) == null && slots.compareAndSet(slot, null, ctx)) {
        ctx.activeSlot = slot;
        return true;
      }
    }
    int start = (int) (ctx.txid() ^ (ctx.txid() >>> 32)) & mask;
    for (int i = 0; i < PROBES; i++) {
      int slot = (start + i) & mask;
      if (slots.get(slot) == null && slots.compareAndSet(slot, null, ctx)) {
        ctx.activeSlot = slot;
        return true;
      }
    }
    rejected.increment();
    return false;
  }

  void unregister(TraceContext ctx) {
    int slot = ctx.activeSlot;
    if (slot >= 0) {
      slots.compareAndSet(slot, ctx, null);
    }
  }

  /** Counts per elapsed band: bounds.length + 1 bands, band i holding those below bounds[i]. */
  public int[] bands(long nowNanos, int[] bounds) {
    int[] out = new int[bounds.length + 1];
    for (int i = 0; i < slots.length(); i++) {
      TraceContext c = slots.get(i);
      if (c != null) {
        long ms = c.runningMillis(nowNanos);
        int b = 0;
        while (b < bounds.length && ms >= bounds[b]) {
          b++;
        }
        out[b]++;
      }
    }
    return out;
  }

  public int count() {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) != null) {
        n++;
      }
    }
    return n;
  }

  public List<TraceContext> snapshot() {
    List<TraceContext> out = new ArrayList<>();
    for (int i = 0; i < slots.length(); i++) {
      TraceContext c = slots.get(i);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  /** Calls {@code action} for every transaction running now (no copy: for a thread that scans often). */
  public void forEach(java.util.function.Consumer<TraceContext> action) {
    for (int i = 0; i < slots.length(); i++) {
      TraceContext c = slots.get(i);
      if (c != null) {
        action.accept(c);
      }
    }
  }

  public TraceContext find(long txid) {
    for (int i = 0; i < slots.length(); i++) {
      TraceContext c = slots.get(i);
      if (c != null && c.txid() == txid) {
        return c;
      }
    }
    return null;
  }

  /** Drops entries running longer than {@code maxMs}; returns how many. */
  public int evictOlderThan(long nowNanos, long maxMs) {
    int n = 0;
    for (int i = 0; i < slots.length(); i++) {
      TraceContext c = slots.get(i);
      if (c != null && c.runningMillis(nowNanos) > maxMs && slots.compareAndSet(i, c, null)) {
        n++;
      }
    }
    evicted.add(n);
    return n;
  }

  public long rejectedCount() {
    return rejected.sum();
  }

  public long evictedCount() {
    return evicted.sum();
  }
}
