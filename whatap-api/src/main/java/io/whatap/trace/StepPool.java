package io.whatap.trace;

import io.whatap.util.BoundedQueue;

/**
 * Step objects that the sender has finished with, kept for the next transactions so that
 * recording a step does not allocate. The pool holds chains of at most {@link #CHAIN_MAX}
 * steps (linked through {@code next}); a transaction takes a chain when it records its first
 * step, and another each time it has used up the last, and the sender gives its steps back,
 * in chains, after encoding them. Both ends are one lock-free ring operation;
 * a full pool lets the chain go to the garbage collector, an empty one means steps are
 * allocated as before. Bounded: at most {@code chains * CHAIN_MAX} steps are kept.
 */
final class StepPool {
  static final int CHAIN_MAX = 4;

  private final BoundedQueue<Step> chains;

  StepPool(int chains) {
    this.chains = new BoundedQueue<>(chains);
  }

  /** A chain of cleared steps, or null when the pool is empty. */
  Step take() {
    return chains.poll();
  }

  /** Keeps a chain of cleared steps (at most {@link #CHAIN_MAX} long) if there is room. */
  boolean give(Step chain) {
    return chain == null || chains.offer(chain);
  }

  /**
   * Keeps the steps of a list (linked through {@code next}) in chains of {@link #CHAIN_MAX},
   * clearing each first when {@code clear}; false once the pool is full (the rest is left to
   * the garbage collector).
   */
  boolean giveAll(Step list, boolean clear) {
    Step s = list;
    while (s != null) {
      Step chain = s;
      Step last = s;
      int length = 1;
      if (clear) {
        s.clear();
      }
      s = s.next;
      while (s != null && length < CHAIN_MAX) {
        if (clear) {
          s.clear();
        }
        last = s;
        s = s.next;
        length++;
      }
      last.next = null;
      if (!chains.offer(chain)) {
        return false;
      }
    }
    return true;
  }
}
