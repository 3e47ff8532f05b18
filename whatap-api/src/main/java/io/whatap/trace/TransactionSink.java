package io.whatap.trace;

/** Where ended transactions go: the UDP sender in production, a list in some tests. */
@FunctionalInterface
public interface TransactionSink {
  /** Takes an ended transaction without blocking; returns false when it had to drop it. */
  boolean offer(TraceContext ended);

  /**
   * Whether a transaction ending at {@code nowNanos} is counted by the sink's own statistics
   * (stats mode) instead of the request thread's {@link Meters}; false unless a local agent
   * offered stats mode.
   */
  default boolean countsStatistics(long nowNanos) {
    return false;
  }
}
