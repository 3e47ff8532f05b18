package io.whatap.agent.intervals;

import java.util.concurrent.atomic.LongAdder;

/**
 * The bytes the per-name statistics of every application may hold together (agent_names_memory_mb):
 * each name slot (its string, its {@link Stats} with a histogram, the map entry) in the open
 * interval, in the window of closed ones and in the totals since start. A name that does not fit
 * is counted under {@link Aggregate#OTHER_NAMES}. Guarded by the state lock, as the aggregates are.
 */
public final class NameBudget {
  /** A slot without its name's characters: Stats with its histogram (~640 B), the map entry, the String. */
  static final long SLOT_OVERHEAD_BYTES = 760;

  /** Names counted under (other names) because the budget or agent_names_max was reached. */
  public final LongAdder namesFolded = new LongAdder();

  private final long maxBytes;
  private long usedBytes;
  private volatile long usedPublished;

  public NameBudget(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  static long slotBytes(String name) {
    return SLOT_OVERHEAD_BYTES + 2L * name.length();
  }

  /** Takes {@code bytes} when they fit; false (nothing taken) when they do not. */
  boolean take(long bytes) {
    if (usedBytes + bytes > maxBytes) {
      return false;
    }
    usedBytes += bytes;
    usedPublished = usedBytes;
    return true;
  }

  void release(long bytes) {
    usedBytes -= bytes;
    usedPublished = usedBytes;
  }

  /** Bytes taken now (readable without the lock). */
  public long usedBytes() {
    return usedPublished;
  }
}
