package io.whatap.agent.export.spans;

import io.whatap.agent.assembly.TxRecord;

/**
 * Span and trace ids from the ids the packs carry, chosen so that the agents of a caller and of its
 * callee, each seeing only its own side, name the same spans:
 * <ul>
 * <li>trace id: the chain's mtid, else the transaction's own txid (the root of a chain reports
 * mtid = its txid once it has called out, so both rules give the root the same id). The high 64
 * bits are 0, as in the traceparent our applications write for a chain they started.</li>
 * <li>an HTTP-call step's (CLIENT) span id: the txid it assigned to the callee ({@code x-wtap-tx},
 * also the span id of the traceparent it wrote), so the callee's SERVER span names it as parent
 * without knowing the caller's steps;</li>
 * <li>a transaction's own span id: a bijective mix of its txid (the txid itself is the caller's
 * CLIENT span);</li>
 * <li>other steps: a mix of the txid and the step's position.</li>
 * </ul>
 */
public final class SpanIds {
  private SpanIds() {
  }

  /** The trace id's low 64 bits. */
  public static long traceId(TxRecord t) {
    return t.mtid != 0 ? t.mtid : t.txid;
  }

  /** The span id of the transaction itself (its SERVER or INTERNAL span). */
  public static long transactionSpanId(long txid) {
    return nonZero(mix(txid ^ 0x5DEECE66DL));
  }

  /** The span id of the step at {@code index} of transaction {@code txid} (not an HTTP call with a callee). */
  public static long stepSpanId(long txid, int index) {
    return nonZero(mix(txid + 0x9E3779B97F4A7C15L * (index + 1L)));
  }

  /**
   * The span the transaction hangs under, 0 for a root: the caller's step when it said which
   * (mcallerStepId); with x-wtap-* headers (the caller's spec arrived beside them) the caller's
   * CLIENT span, whose id is our own txid; with a traceparent alone its parent id, which for a caller
   * of ours is that same CLIENT span and for any other tracer its span.
   */
  public static long parentSpanId(TxRecord t) {
    if (t.callerStepId != 0) {
      return t.callerStepId;
    }
    if (t.callerTxid == 0) {
      return 0;
    }
    if (t.callerSpec != null && !t.callerSpec.isEmpty()) {
      return t.txid;
    }
    return t.callerTxid;
  }

  /** SplitMix64's finalizer: a bijection on 64-bit values that scatters neighbours. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long nonZero(long id) {
    return id == 0 ? 1 : id;
  }
}
