package io.whatap.util;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free multi-producer queue (Vyukov's sequenced ring). {@link #offer} never
 * blocks and never allocates: when the ring is full it returns false and the caller counts the
 * drop. Used as the sender's queue (many producers, the sender consuming) and as the step pool
 * (the sender producing, request threads consuming).
 */
public final class BoundedQueue<E> {
  private final AtomicReferenceArray<E> items;
  private final AtomicLongArray sequence;
  private final int mask;
  private final PaddedCounter tail = new PaddedCounter();
  private final PaddedCounter head = new PaddedCounter();

  public BoundedQueue(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    items = new AtomicReferenceArray<>(size);
    sequence = new AtomicLongArray(size);
    for (int i = 0; i < size; i++) {
      sequence.set(i, i);
    }
    mask = size - 1;
  }

  public int capacity() {
    return mask + 1;
  }

  public boolean offer(E e) {
    while (true) {
      long t = tail.get();
      int slot = (int) t & mask;
      long seq = sequence.get(slot);
      long diff = seq - t;
      if (diff == 0) {
        if (tail.compareAndSet(t, t + 1)) {
          items.lazySet(slot, e);
          sequence.set(slot, t + 1);
          return true;
        }
      } else if (diff < 0) {
        return false;
      }
      // else another producer took this slot; retry with the new tail
    }
  }

  public E poll() {
    while (true) {
      long h = head.get();
      int slot = (int) h & mask;
      long seq = sequence.get(slot);
      long diff = seq - (h + 1);
      if (diff == 0) {
        if (head.compareAndSet(h, h + 1)) {
          E e = items.get(slot);
          items.lazySet(slot, null);
          sequence.set(slot, h + mask + 1);
          return e;
        }
      } else if (diff < 0) {
        return null;
      }
    }
  }

  public boolean isEmpty() {
    long h = head.get();
    return sequence.get((int) h & mask) - (h + 1) < 0;
  }

  /** Elements taken by {@link #offer} since creation. */
  public long offered() {
    return tail.get();
  }

  public int size() {
    long n = tail.get() - head.get();
    return (int) Math.max(0, Math.min(n, mask + 1));
  }

  /**
   * A counter alone on its cache line: producers move the tail and the consumer the head, and
   * two plain AtomicLongs allocated together share a line, so every offer would evict the
   * consumer's head and every poll the producers' tail. The superclass fields put padding on
   * both sides (the JVM lays out superclass fields first).
   */
  static class PadBefore {
    long p01, p02, p03, p04, p05, p06, p07;
  }

  static class CounterValue extends PadBefore {
    volatile long value;
  }

  static final class PaddedCounter extends CounterValue {
    private static final VarHandle VALUE;

    static {
      try {
        VALUE = MethodHandles.lookup().findVarHandle(CounterValue.class, "value", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    long p11, p12, p13, p14, p15, p16, p17;

    long get() {
      return value;
    }

    boolean compareAndSet(long expected, long next) {
      return VALUE.compareAndSet(this, expected, next);
    }
  }
}
