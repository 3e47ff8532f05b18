package io.whatap.trace;

import io.whatap.internal.BoundedQueue;

/**
 * Step objects that the sender has finished with, kept for the next transactions so that
 * recording a step does not allocate. The pool holds chains of at most {@link #CHAIN_MAX}
 * steps (linked through {@code next}); a transaction takes one chain when it starts and the
 * sender gives its steps back after encoding them. Both ends are one lock-free ring operation;
 * a full pool lets the chain go to the garbage collector, an empty one means steps are
 * allocated as before. Bounded: at most {@code chains * CHAIN_MAX} steps are kept.
 */
final class StepPool {
  static final int CHAIN_MAX = 8;

  private final BoundedQueue<Step> chains;

  StepPool(int chains) {
    this.chains = new BoundedQueue<>(chains);
  }

  /** A chain of cleared steps, or null when the pool is empty. */
  Step take() {
    return chains.poll();
  }

  /** Keeps a chain of cleared steps (at most {@link #CHAIN_MAX} long) if there is room. */
  void give(Step chain) {
    if (chain != null) {
      chains.offer(chain);
    }
  }
}
