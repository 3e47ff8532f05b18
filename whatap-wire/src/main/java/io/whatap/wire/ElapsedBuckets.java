package io.whatap.wire;

/**
 * The fixed log-linear elapsed-time buckets (ms) of the statistics our core computes in stats mode
 * ({@link StatsRowPack}, {@link StatsHitmapPack}): one bucket per millisecond below 16 ms, then 16
 * buckets per power of two, so a bucket is at most 1/16 of its lower bound wide. Reporting a
 * bucket by its midpoint ({@link #representative}) is then within 1/32 (3.2 %) of any value in it:
 * p50, p90 and p99 computed from the counts are within that bound of the exact ones. 448 buckets
 * cover every int; the index is a shift and a mask, no search.
 */
public final class ElapsedBuckets {
  /** Sub-buckets per power of two (and the linear range below the first one). */
  private static final int SUB = 16;
  private static final int SUB_BITS = 4;
  /** Buckets: 16 linear ones, then 16 for each power of two from 2^4 to 2^30. */
  public static final int COUNT = SUB + (31 - SUB_BITS) * SUB;

  private ElapsedBuckets() {
  }

  /** The bucket of {@code ms} (negative values count as 0). */
  public static int index(int ms) {
    if (ms < SUB) {
      return Math.max(0, ms);
    }
    int k = 31 - Integer.numberOfLeadingZeros(ms);
    return SUB + (k - SUB_BITS) * SUB + ((ms >>> (k - SUB_BITS)) & (SUB - 1));
  }

  /** The smallest value in bucket {@code i}. */
  public static int lowerBound(int i) {
    if (i < SUB) {
      return i;
    }
    int k = SUB_BITS + (i - SUB) / SUB;
    return (SUB + (i - SUB) % SUB) << (k - SUB_BITS);
  }

  /** The largest value in bucket {@code i}. */
  public static int upperBound(int i) {
    if (i < SUB) {
      return i;
    }
    int k = SUB_BITS + (i - SUB) / SUB;
    return lowerBound(i) + (1 << (k - SUB_BITS)) - 1;
  }

  /** The value that stands for bucket {@code i}: its midpoint, within 1/32 of every value in it. */
  public static int representative(int i) {
    int lo = lowerBound(i);
    return lo + (upperBound(i) - lo) / 2;
  }

  /**
   * The nearest-rank {@code p}-th percentile (0 &lt; p &le; 100) of {@code counts} (indexed by
   * bucket): the representative of the bucket holding rank ceil(p/100 * n), clamped to [min, max]
   * ({@code max} itself for the last rank); 0 when empty.
   */
  public static int percentile(int[] counts, double p, int min, int max) {
    long n = 0;
    for (int c : counts) {
      n += c;
    }
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
    if (rank >= n) {
      return max; // the largest value is known exactly
    }
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.max(min, Math.min(max, representative(i)));
      }
    }
    return max;
  }
}
