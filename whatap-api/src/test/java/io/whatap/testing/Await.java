package io.whatap.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waiting in tests on something another thread or process brings about (a port in a log, a
 * transaction at the receiver, a thread gone), with a deadline and what was seen when it passed.
 * Every module's tests wait through here, so the deadline rule and the failure message are
 * written once. The check is re-evaluated every few milliseconds: the things waited on (a child
 * JVM's output file, another process's threads) offer nothing to block on.
 */
public final class Await {
  private static final long RECHECK_NANOS = 10_000_000L;

  private Await() { }

  /** Waits until {@code done} holds; fails with {@code what} and {@code seen} at the deadline. */
  public static void until(String what, Duration within, BooleanSupplier done, Supplier<String> seen) {
    value(what, within, () -> done.getAsBoolean() ? Boolean.TRUE : null, seen);
  }

  /** As {@link #until(String, Duration, BooleanSupplier, Supplier)}, with nothing more to show. */
  public static void until(String what, Duration within, BooleanSupplier done) {
    until(what, within, done, () -> "");
  }

  /**
   * Waits until {@code valueOrNull} returns a value and returns it; fails with {@code what} and
   * {@code seen} at the deadline. {@code valueOrNull} may throw an AssertionError to stop waiting
   * at once (e.g. when the process that should answer has died).
   */
  public static <T> T value(String what, Duration within, Supplier<T> valueOrNull, Supplier<String> seen) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      T v = valueOrNull.get();
      if (v != null) {
        return v;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("waited " + within.toSeconds() + " s for " + what + "; " + seen.get());
      }
      LockSupport.parkNanos(RECHECK_NANOS);
      if (Thread.interrupted()) {
        throw new AssertionError("interrupted while waiting for " + what);
      }
    }
  }
}
