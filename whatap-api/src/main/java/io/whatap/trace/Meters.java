package io.whatap.trace;

import java.util.concurrent.atomic.LongAdder;

/**
 * The core's own meters. Per-interval figures (transactions, errors, elapsed, the response-time
 * histogram) are read and reset by the counter thread; the rest are totals since start.
 * Updated before any sampling decision, so TPS and response time stay exact.
 */
public final class Meters {
  /** Upper bounds (ms, inclusive) of the response-time histogram; the last bucket is open. */
  static final int[] BOUNDS = {
      1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000,
      1500, 2000, 3000, 5000, 7000, 10_000, 15_000, 20_000, 30_000, 60_000};

  // per interval: the count is the histogram's sum, so that a transaction costs two striped
  // additions (its bucket and the elapsed sum), not a shared atomic that every request thread
  // would pull to its core (nearly every one lands in the first bucket)
  private final LongAdder[] histogram = new LongAdder[BOUNDS.length + 1];
  final LongAdder errors = new LongAdder();
  final LongAdder elapsedSum = new LongAdder();
  /** Transactions of the intervals already drained. */
  private final LongAdder drainedTotal = new LongAdder();

  // totals
  public final LongAdder errorsTotal = new LongAdder();
  public final LongAdder stepsDropped = new LongAdder();
  public final LongAdder ignoredRequests = new LongAdder();
  public final LongAdder malformedInput = new LongAdder();
  public final LongAdder untracedOnError = new LongAdder();

  public Meters() {
    for (int i = 0; i < histogram.length; i++) {
      histogram[i] = new LongAdder();
    }
  }

  /**
   * Counts one ended transaction: on the request thread, or in stats mode on the sender thread,
   * which aggregates the transaction anyway (one thread, so the striped additions stay uncontended).
   */
  public void record(int elapsedMs, boolean error) {
    histogram[bucket(elapsedMs)].increment();
    elapsedSum.add(elapsedMs);
    if (error) {
      errors.increment();
      errorsTotal.increment();
    }
  }

  /** Transactions ended since start. */
  public long transactionsTotal() {
    long n = drainedTotal.sum();
    for (LongAdder b : histogram) {
      n += b.sum();
    }
    return n;
  }

  static int bucket(int ms) {
    int lo = 0;
    int hi = BOUNDS.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (ms <= BOUNDS[mid]) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** Reads and resets the interval figures. */
  public Interval drainInterval() {
    long[] h = new long[histogram.length];
    long count = 0;
    for (int i = 0; i < h.length; i++) {
      h[i] = histogram[i].sumThenReset();
      count += h[i];
    }
    drainedTotal.add(count);
    return new Interval(count, errors.sumThenReset(), elapsedSum.sumThenReset(), h);
  }

  /** One interval's transactions, errors, elapsed sum and histogram. */
  public static final class Interval {
    public final long count;
    public final long errors;
    public final long elapsedSum;
    final long[] histogram;

    Interval(long count, long errors, long elapsedSum, long[] histogram) {
      this.count = count;
      this.errors = errors;
      this.elapsedSum = elapsedSum;
      this.histogram = histogram;
    }

    public double averageMs() {
      return count == 0 ? 0 : (double) elapsedSum / count;
    }

    /**
     * The {@code p}-th percentile (0 &lt; p &lt; 100) in ms, interpolated linearly inside the
     * histogram bucket that holds it; 0 when the interval saw nothing.
     */
    public double percentileMs(double p) {
      long total = 0;
      for (long c : histogram) {
        total += c;
      }
      if (total == 0) {
        return 0;
      }
      double rank = p / 100.0 * total;
      long seen = 0;
      for (int i = 0; i < histogram.length; i++) {
        long c = histogram[i];
        if (c > 0 && seen + c >= rank) {
          double lower = i == 0 ? 0 : BOUNDS[i - 1];
          double upper = i < BOUNDS.length ? BOUNDS[i] : lower * 2;
          return lower + (upper - lower) * ((rank - seen) / c);
        }
        seen += c;
      }
      return BOUNDS[BOUNDS.length - 1];
    }
  }
}
