package io.whatap.agent.intervals;

/**
 * One closed interval of one application (or of all of them): the transactions that completed in
 * it (by the agent's clock) and the latest counters the application sent.
 *
 * @param start   the interval's start (epoch ms, a multiple of agent_interval_ms)
 * @param tps     count / interval seconds
 * @param bands   active transactions per elapsed band (the last ACTIVE_STATS), or empty when unknown
 * @param cpuPct  process CPU (% of the machine), NaN when no counters arrived recently
 * @param heapUsed bytes, -1 when unknown (likewise heapMax and threads)
 * @param gcCount  collections in the interval (sum of the counter packs' deltas)
 * @param gcTimeMs collection time in the interval
 */
public record IntervalSummary(long start, int durationMs, long count, long errors, long sum, long min, long max,
    double tps, double avg, long p50, long p90, long p99, int[] bands, double cpuPct, long heapUsed,
    long heapMax, long gcCount, long gcTimeMs, long threads) {

  public static IntervalSummary of(long start, int durationMs, Stats s, int[] bands, double cpuPct, long heapUsed,
      long heapMax, long gcCount, long gcTimeMs, long threads) {
    return new IntervalSummary(start, durationMs, s.count, s.errors, s.sum, s.minOrZero(), s.max,
        s.count * 1000.0 / durationMs, s.average(), s.percentile(50), s.percentile(90), s.percentile(99),
        bands, cpuPct, heapUsed, heapMax, gcCount, gcTimeMs, threads);
  }

  public double errorRate() {
    return count == 0 ? 0 : (double) errors / count;
  }

  public int activeTotal() {
    int n = 0;
    for (int b : bands) {
      n += b;
    }
    return n;
  }
}
