package io.whatap.wire;

import java.util.Arrays;

/**
 * STATS_HITMAP (ours, {@link PackType#STATS_HITMAP}): the hitmap of one end-time slot of the process,
 * as WhaTap's hitmap is (end time bucket x elapsed bucket): of the transactions that ended in
 * [{@code slotStart}, {@code slotStart + slotMs}), how many fell in each {@link ElapsedBuckets}
 * bucket, and how many of those failed. Dense here, sparse on the wire. Compared by content.
 */
public record StatsHitmapPack(int pid, long slotStart, int slotMs, int[] counts, int[] errors) implements Pack {
  public StatsHitmapPack {
    if (counts == null) {
      counts = new int[ElapsedBuckets.COUNT];
    }
    if (errors == null) {
      errors = new int[ElapsedBuckets.COUNT];
    }
  }

  @Override
  public int type() {
    return PackType.STATS_HITMAP;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatsHitmapPack x && pid == x.pid && slotStart == x.slotStart && slotMs == x.slotMs
        && Arrays.equals(counts, x.counts) && Arrays.equals(errors, x.errors);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(slotStart) * 31 + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "StatsHitmapPack[pid=" + pid + ", slotStart=" + slotStart + ", slotMs=" + slotMs + "]";
  }
}
