package io.whatap.agent.intervals;

/**
 * Count, errors and elapsed sum/min/max/histogram of a set of transactions (one name in one
 * interval, a whole application in one interval, or merged over a window). Not thread-safe: the
 * state lock serializes access (see whatap-agent/RATIONALE.md); a reader gets a copy.
 */
public final class Stats {
  public long count;
  public long errors;
  public long sum;
  public long min = Long.MAX_VALUE;
  public long max;
  public final Histogram histogram = new Histogram();

  public void add(long elapsedMs, boolean error) {
    count++;
    if (error) {
      errors++;
    }
    sum += elapsedMs;
    min = Math.min(min, elapsedMs);
    max = Math.max(max, elapsedMs);
    histogram.add(elapsedMs);
  }

  /**
   * Adds what a process counted itself (stats mode): {@code histogram} is over
   * {@link io.whatap.wire.ElapsedBuckets}, each bucket entering this histogram at its
   * representative value (within 1/32 of every value in it).
   */
  public void addCounted(long count, long errors, long sum, long min, long max, int[] histogram) {
    if (count <= 0) {
      return;
    }
    this.count += count;
    this.errors += errors;
    this.sum += sum;
    this.min = Math.min(this.min, min);
    this.max = Math.max(this.max, max);
    for (int i = 0; i < histogram.length; i++) {
      if (histogram[i] != 0) {
        this.histogram.add(io.whatap.wire.ElapsedBuckets.representative(i), histogram[i]);
      }
    }
  }

  public void addAll(Stats other) {
    if (other.count == 0) {
      return;
    }
    count += other.count;
    errors += other.errors;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    histogram.addAll(other.histogram);
  }

  public long minOrZero() {
    return count == 0 ? 0 : min;
  }

  public double average() {
    return count == 0 ? 0 : (double) sum / count;
  }

  public long percentile(double p) {
    return histogram.percentile(p, minOrZero(), max);
  }

  /** Errors per transaction, 0..1. */
  public double errorRate() {
    return count == 0 ? 0 : (double) errors / count;
  }
}
