package loadapp;

import java.util.concurrent.locks.LockSupport;

/**
 * Blocks in its static initializer: a virtual thread that initializes it stays pinned to its
 * carrier while it waits (still true on JDK 25), which is what the self-check records.
 */
public final class ParksInItsInitializer {
  static {
    LockSupport.parkNanos(5_000_000L);
  }

  private ParksInItsInitializer() { }

  public static void touch() {
    // loading and initializing the class is the point
  }
}
