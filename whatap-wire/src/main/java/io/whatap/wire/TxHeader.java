package io.whatap.wire;

/**
 * The transaction header that opens every TX_* body: the transaction id, the pack's own event
 * time (epoch ms) and duration (ms), the thread's CPU time (ms) and allocated bytes (0 when not
 * measured), the process id and the thread id.
 */
public record TxHeader(long txid, long time, int elapsed, long cpu, long mem, int pid, long threadId) {
  public static final TxHeader ZERO = new TxHeader(0, 0, 0, 0, 0, 0, 0);
}
