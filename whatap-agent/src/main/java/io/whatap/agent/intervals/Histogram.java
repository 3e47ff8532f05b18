package io.whatap.agent.intervals;

import java.util.Arrays;

/**
 * Response times in fixed buckets (ms), so that intervals and names merge by adding counts and a
 * percentile costs one pass over ~70 longs whatever the traffic. Bounds step by 1 ms up to 10 ms,
 * then by at most 25%, so a percentile is the upper bound of the bucket that holds it: never below
 * the true value, and at most one bucket above it (clamped to the observed min and max).
 */
public final class Histogram {
  /** Inclusive upper bounds (ms); a value above the last one falls into the open last bucket. */
  static final int[] BOUNDS = {
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 90,
      100, 120, 140, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 1200,
      1400, 1600, 1800, 2000, 2500, 3000, 3500, 4000, 4500, 5000, 6000, 7000, 8000, 9000, 10_000,
      12_000, 15_000, 20_000, 25_000, 30_000, 45_000, 60_000, 90_000, 120_000, 300_000};

  private final long[] counts = new long[BOUNDS.length + 1];

  /** The bucket of every value up to {@link #DIRECT_MAX} ms, looked up instead of searched: a transaction updates eight histograms. */
  private static final int DIRECT_MAX = 1000;
  private static final byte[] DIRECT = new byte[DIRECT_MAX + 1];

  static {
    for (int ms = 0; ms <= DIRECT_MAX; ms++) {
      DIRECT[ms] = (byte) search(ms);
    }
  }

  static int bucket(long ms) {
    if (ms >= 0 && ms <= DIRECT_MAX) {
      return DIRECT[(int) ms];
    }
    return search(ms);
  }

  private static int search(long ms) {
    int i = Arrays.binarySearch(BOUNDS, (int) Math.min(Integer.MAX_VALUE, Math.max(0, ms)));
    return i >= 0 ? i : -i - 1;
  }

  /** The number of buckets: one per bound, and the open last one above the highest bound. */
  public static int buckets() {
    return BUCKETS;
  }

  /** The inclusive upper bound (ms) of bucket {@code i}, or -1 for the open last bucket. */
  public static long upperBoundMs(int i) {
    return i < BOUNDS.length ? BOUNDS[i] : -1;
  }

  /** The values counted in bucket {@code i} (not cumulative). */
  public long countAt(int i) {
    return counts[i];
  }

  /** The number of buckets (the stored form's length). */
  public static final int BUCKETS = BOUNDS.length + 1;

  /** A copy of the counts, bucket by bucket (what the store keeps). */
  public long[] counts() {
    return counts.clone();
  }

  /** Adds stored counts (of {@link #counts()}'s layout) bucket by bucket; extra entries are ignored. */
  public void addCounts(long[] stored) {
    for (int i = 0; i < Math.min(stored.length, counts.length); i++) {
      counts[i] += stored[i];
    }
  }

  public void add(long ms) {
    counts[bucket(ms)]++;
  }

  /** Adds {@code n} values of {@code ms} each. */
  public void add(long ms, long n) {
    counts[bucket(ms)] += n;
  }

  public void addAll(Histogram other) {
    for (int i = 0; i < counts.length; i++) {
      counts[i] += other.counts[i];
    }
  }

  public long count() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /**
   * The nearest-rank {@code p}-th percentile (0 &lt; p &le; 100): the upper bound of the bucket
   * holding the value of rank ceil(p/100 * n), clamped to [min, max]; 0 when empty.
   */
  public long percentile(double p, long min, long max) {
    long n = count();
    if (n == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        long upper = i < BOUNDS.length ? BOUNDS[i] : max;
        return Math.max(min, Math.min(max, upper));
      }
    }
    return max;
  }
}
