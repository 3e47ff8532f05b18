package io.whatap.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A bounded lock-free multi-producer queue (Vyukov's sequenced ring). {@link #offer} never
 * blocks and never allocates: when the ring is full it returns false and the caller counts the
 * drop. Consumed by the single sender thread.
 */
final class BoundedQueue<E> {
  private final AtomicReferenceArray<E> items;
  private final AtomicLongArray sequence;
  private final int mask;
  private final AtomicLong tail = new AtomicLong();
  private final AtomicLong head = new AtomicLong();

  BoundedQueue(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    items = new AtomicReferenceArray<>(size);
    sequence = new AtomicLongArray(size);
    for (int i = 0; i < size; i++) {
      sequence.set(i, i);
    }
    mask = size - 1;
  }

  int capacity() {
    return mask + 1;
  }

  boolean offer(E e) {
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

  E poll() {
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

  boolean isEmpty() {
    long h = head.get();
    return sequence.get((int) h & mask) - (h + 1) < 0;
  }

  int size() {
    long n = tail.get() - head.get();
    return (int) Math.max(0, Math.min(n, mask + 1));
  }
}
