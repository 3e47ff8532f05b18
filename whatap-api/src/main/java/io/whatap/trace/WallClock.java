package io.whatap.trace;

import java.time.Instant;

/**
 * Wall-clock milliseconds derived from {@link System#nanoTime()}, so that a transaction reads
 * one clock when it starts instead of two. The offset between the two clocks is taken again
 * (from {@link Instant#now()}, microsecond precision) once a second, so a step of the system
 * clock (NTP) shows within a second and the derived time never drifts further than the
 * monotonic clock does from the wall clock in that second.
 */
final class WallClock {
  static final long RESYNC_NANOS = 1_000_000_000L;

  /** The wall clock, in ns since the epoch, at {@code nanos} on the monotonic clock. */
  private record Base(long nanos, long epochNanos) { }

  private static volatile Base base = sync();

  private WallClock() { }

  /** Milliseconds since the epoch at {@code nanos}, a {@link System#nanoTime()} reading of this JVM. */
  public static long millisAt(long nanos) {
    Base b = base;
    long d = nanos - b.nanos;
    if (d >= RESYNC_NANOS) {
      b = sync();
      base = b;
      d = nanos - b.nanos;
    }
    return Math.floorDiv(b.epochNanos + d, 1_000_000L);
  }

  /** Milliseconds since the epoch now. */
  public static long millis() {
    return millisAt(System.nanoTime());
  }

  private static Base sync() {
    Instant now = Instant.now();
    long nanos = System.nanoTime();
    return new Base(nanos, now.getEpochSecond() * 1_000_000_000L + now.getNano());
  }
}
