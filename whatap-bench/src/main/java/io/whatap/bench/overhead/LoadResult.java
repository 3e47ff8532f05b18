package io.whatap.bench.overhead;

import java.util.List;

/** What one load run measured: completed requests, the time they took, latency percentiles and errors. */
public record LoadResult(long requests, double seconds, double p50Ms, double p99Ms, long errors) {
  public double requestsPerSecond() {
    return seconds <= 0 ? 0 : requests / seconds;
  }

  /**
   * The slices of one configuration as one run: requests, time and errors add up; the
   * percentiles are the slices' percentiles weighted by their requests (the raw latencies are
   * not kept by wrk, so this is an approximation, exact when the slices agree).
   */
  public static LoadResult combine(List<LoadResult> slices) {
    if (slices.size() == 1) {
      return slices.get(0);
    }
    long requests = 0;
    long errors = 0;
    double seconds = 0;
    double p50 = 0;
    double p99 = 0;
    for (LoadResult r : slices) {
      requests += r.requests;
      errors += r.errors;
      seconds += r.seconds;
      p50 += r.p50Ms * r.requests;
      p99 += r.p99Ms * r.requests;
    }
    return new LoadResult(requests, seconds, requests == 0 ? 0 : p50 / requests, requests == 0 ? 0 : p99 / requests, errors);
  }
}
