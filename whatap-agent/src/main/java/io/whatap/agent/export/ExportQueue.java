package io.whatap.agent.export;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A bounded, lock-free queue: the receiver thread offers without ever waiting, an exporter's
 * thread drains. The bound is a counter reserved before the item is linked, so the queue never
 * holds more than {@code max}; what does not fit is dropped and counted.
 */
final class ExportQueue<T> {
  private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final int max;
  /** Items refused because the queue was full. */
  final LongAdder dropped = new LongAdder();

  ExportQueue(int max) {
    this.max = max;
  }

  /** Adds {@code item}, or drops and counts it when the queue is full. */
  boolean offer(T item) {
    // a plain read first: while a collector is away the queue stays full, and a drop then costs no
    // read-modify-write (the receiver offers every transaction)
    if (size.get() >= max) {
      dropped.increment();
      return false;
    }
    if (size.incrementAndGet() > max) {
      size.decrementAndGet();
      dropped.increment();
      return false;
    }
    items.offer(item);
    return true;
  }

  /** Moves up to {@code limit} items, oldest first, into {@code out}. */
  int drainTo(List<T> out, int limit) {
    int n = 0;
    T item;
    while (n < limit && (item = items.poll()) != null) {
      size.decrementAndGet();
      out.add(item);
      n++;
    }
    return n;
  }

  int size() {
    return size.get();
  }

  int max() {
    return max;
  }
}
