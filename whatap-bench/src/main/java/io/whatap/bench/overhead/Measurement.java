package io.whatap.bench.overhead;

import java.util.Map;

/**
 * One measured run of one application: a server in a configuration in one round. {@code app}
 * holds the app's own STATS line (heap, the WhaTap sender's counters); {@code sink} what the
 * harness-side receiver counted (WhaTap: UDP frames and TX_END packs; Elastic: intake requests).
 * {@code failure} is set, and the figures are NaN, when the configuration could not run.
 */
public record Measurement(int round, String server, String config, LoadResult load, double cpuSeconds,
    long rssBytes, Map<String, Long> app, Map<String, Long> sink, String failure) {

  public static Measurement failed(int round, String server, String config, String why) {
    return new Measurement(round, server, config, null, Double.NaN, -1, Map.of(), Map.of(), why);
  }

  public boolean ok() {
    return failure == null;
  }

  public double requestsPerSecond() {
    return ok() ? load.requestsPerSecond() : Double.NaN;
  }

  /** CPU seconds the app used per 10,000 requests served in the measured window. */
  public double cpuPer10k() {
    return ok() && load.requests() > 0 ? cpuSeconds / load.requests() * 10_000 : Double.NaN;
  }

  public double p50Ms() {
    return ok() ? load.p50Ms() : Double.NaN;
  }

  public double p99Ms() {
    return ok() ? load.p99Ms() : Double.NaN;
  }

  public double rssMb() {
    return ok() ? rssBytes / 1048576.0 : Double.NaN;
  }

  public double heapAfterGcMb() {
    Long h = app.get("heapUsedAfterGc");
    return ok() && h != null ? h / 1048576.0 : Double.NaN;
  }
}
