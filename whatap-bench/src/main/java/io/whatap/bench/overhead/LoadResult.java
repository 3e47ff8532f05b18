package io.whatap.bench.overhead;

/** What one load run measured: completed requests, the time they took, latency percentiles and errors. */
public record LoadResult(long requests, double seconds, double p50Ms, double p99Ms, long errors) {
  public double requestsPerSecond() {
    return seconds <= 0 ? 0 : requests / seconds;
  }
}
