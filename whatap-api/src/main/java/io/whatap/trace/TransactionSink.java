package io.whatap.trace;

/** Where ended transactions go: the UDP sender in production, a list in some tests. */
@FunctionalInterface
public interface TransactionSink {
  /** Takes an ended transaction without blocking; returns false when it had to drop it. */
  boolean offer(TraceContext ended);
}
