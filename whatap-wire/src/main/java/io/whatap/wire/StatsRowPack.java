package io.whatap.wire;

import java.util.Arrays;

/**
 * STATS_ROW (ours, {@link PackType#STATS_ROW}): one interval's statistics of the transactions of one
 * (name, status class) that ended in the process between {@code start} and {@code end} (epoch ms):
 * count, errors, elapsed sum, min and max (ms), CPU ms summed, steps summed, and the elapsed
 * histogram over {@link ElapsedBuckets} (dense here, sparse on the wire). {@code statusClass} is
 * the status divided by 100 (1–5), 0 without an HTTP status. Compared by content.
 */
public record StatsRowPack(int pid, long start, long end, String name, int statusClass, long count, long errors,
    long elapsedSum, int elapsedMin, int elapsedMax, long cpuSum, long steps, int[] histogram) implements Pack {
  /** The row that counts the transactions of names beyond the process's names cap. */
  public static final String OTHER_NAMES = "(other names)";

  public StatsRowPack {
    if (name == null) {
      name = "";
    }
    if (histogram == null) {
      histogram = new int[ElapsedBuckets.COUNT];
    }
  }

  @Override
  public int type() {
    return PackType.STATS_ROW;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatsRowPack x && pid == x.pid && start == x.start && end == x.end && name.equals(x.name)
        && statusClass == x.statusClass && count == x.count && errors == x.errors && elapsedSum == x.elapsedSum
        && elapsedMin == x.elapsedMin && elapsedMax == x.elapsedMax && cpuSum == x.cpuSum && steps == x.steps
        && Arrays.equals(histogram, x.histogram);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Long.hashCode(count) + Arrays.hashCode(histogram);
  }

  @Override
  public String toString() {
    return "StatsRowPack[pid=" + pid + ", start=" + start + ", end=" + end + ", name=" + name + ", statusClass="
        + statusClass + ", count=" + count + ", errors=" + errors + ", elapsedSum=" + elapsedSum + ", min="
        + elapsedMin + ", max=" + elapsedMax + ", cpuSum=" + cpuSum + ", steps=" + steps + "]";
  }
}
