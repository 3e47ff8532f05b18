package io.whatap.agent.export.spans;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.settings.ExportSettings;

/**
 * Which completed transactions leave as spans (export_select). The sample is drawn from the trace
 * id, not at random: every agent of a chain decides the same for the same trace, so a sampled
 * trace arrives whole. Called on the receiver thread for every transaction: no allocation.
 */
public final class Selection {
  private final ExportSettings.Select select;
  private final int slowMs;
  /** The sample's share of the 64-bit hash space: hashes below it are in. */
  private final long sampleBelow;
  private final boolean sampleAll;

  public Selection(ExportSettings s) {
    this.select = s.select;
    this.slowMs = s.slowMs;
    this.sampleAll = s.sampleRatio >= 1.0;
    this.sampleBelow = (long) (s.sampleRatio * 0x1p63);
  }

  public boolean selected(TxRecord t) {
    return switch (select) {
      case ALL -> true;
      case SLOW_AND_FAILED -> slowOrFailed(t);
      case SAMPLE -> slowOrFailed(t) || sampled(SpanIds.traceId(t));
    };
  }

  private boolean slowOrFailed(TxRecord t) {
    return t.elapsed >= slowMs || t.error || t.status >= 500;
  }

  /** Whether trace {@code traceId} is in the sample: its mixed id, as a non-negative number, is below the ratio. */
  boolean sampled(long traceId) {
    return sampleAll || (SpanIds.mix(traceId) >>> 1) < sampleBelow;
  }
}
