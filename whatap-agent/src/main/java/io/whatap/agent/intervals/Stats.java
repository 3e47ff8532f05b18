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
