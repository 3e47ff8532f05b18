package io.whatap.agent.store;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.intervals.Intervals;
import io.whatap.agent.settings.AgentSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The store's one writer thread ({@code whatap-agent-store}) and the bounded queue in front of it.
 * The receiver hands over each datagram's completed transactions, and the interval clock each closed
 * interval, both with the state lock held and without blocking (so the queue holds them in the order
 * they happened); when the queue is full, or the transactions waiting would take more than
 * agent_store_queue_mb, what does not fit is dropped and counted. The thread gathers the
 * transactions per interval ({@link IntervalBatch}) and commits an interval once it is closed: one
 * commit per interval. Then roll-up, retention and the size cap ({@link Store#maintain}).
 */
public final class StoreWriter implements Intervals.Listener, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(StoreWriter.class.getName());
  /** Items (datagram batches, closed intervals) the queue holds at most; bytes bound it first as a rule. */
  static final int QUEUE_ITEMS = 16_384;

  /** Completed transactions not handed to the writer because its queue was full. */
  public final LongAdder dropped = new LongAdder();
  /** Closed intervals not handed to the writer because its queue was full (their rows are lost). */
  public final LongAdder intervalsDropped = new LongAdder();
  /** Transactions counted in the store's aggregates but not kept with their steps (beyond agent_store_tx_per_interval, or not sampled). */
  public final LongAdder notKept = new LongAdder();
  /** Keys (names, statements, URLs, error groups) folded into "(other)" in one interval's batch. */
  public final LongAdder folded = new LongAdder();
  /** Failed writes (each logged once at WARNING, then at FINE). */
  public final LongAdder writeErrors = new LongAdder();
  /** Intervals committed. */
  public final LongAdder commits = new LongAdder();

  private record Closing(long start, int durationMs, List<Intervals.Closed> closed) {
  }

  private final Store store;
  private final AgentSettings settings;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_ITEMS);
  private final AtomicLong queuedBytes = new AtomicLong();
  private final TreeMap<Long, IntervalBatch> batches = new TreeMap<>();
  /** The batch the last transaction went to (nearly every transaction goes to the same one). */
  private IntervalBatch open;
  private final java.util.HashMap<String, String> patterns = new java.util.HashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long lastCommitNanos;
  private boolean errorLogged;
  private long lastMaintainedMinute = Long.MIN_VALUE;
  private final Object idle = new Object();
  /** Items handed over and items taken by the writer: equal when it is idle. */
  private final AtomicLong handed = new AtomicLong();
  private final AtomicLong done = new AtomicLong();

  public StoreWriter(Store store, AgentSettings settings) {
    this.store = store;
    this.settings = settings;
    this.thread = new Thread(this::run, "whatap-agent-store");
    thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public Store store() {
    return store;
  }

  /**
   * Hands over completed transactions (one datagram's); never blocks. With the state lock held, so
   * that they queue in order with the intervals closed.
   */
  public void transactions(List<TxRecord> txs) {
    if (txs.isEmpty()) {
      return;
    }
    long bytes = 0;
    for (int i = 0; i < txs.size(); i++) {
      bytes += txs.get(i).estimatedBytes;
    }
    if (queuedBytes.addAndGet(bytes) > settings.storeQueueBytes || !queue.offer(new Batch(txs, bytes))) {
      queuedBytes.addAndGet(-bytes);
      dropped.add(txs.size());
      return;
    }
    handed();
  }

  private record Batch(List<TxRecord> txs, long bytes) {
  }

  @Override
  public void closed(long start, int durationMs, List<Intervals.Closed> closed) {
    if (!queue.offer(new Closing(start, durationMs, closed))) {
      intervalsDropped.increment();
      return;
    }
    handed();
  }

  private void handed() {
    handed.incrementAndGet();
  }

  /** Transactions waiting for the writer, in estimated bytes. */
  public long queuedBytes() {
    return queuedBytes.get();
  }

  private void run() {
    while (running || !queue.isEmpty()) {
      Object item;
      try {
        item = queue.poll(200, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        if (!running) {
          continue; // drain what is queued, then end
        }
        Thread.currentThread().interrupt();
        return;
      }
      if (item == null) {
        continue;
      }
      try {
        if (item instanceof Batch b) {
          queuedBytes.addAndGet(-b.bytes);
          for (TxRecord t : b.txs) {
            long start = t.receivedAt - Math.floorMod(t.receivedAt, (long) settings.intervalMs);
            if (open == null || open.start != start) {
              open = batches.computeIfAbsent(start, s -> new IntervalBatch(s, settings.storeTxPerInterval,
                  settings.storeQueueBytes / 2, settings.slowMs, patterns));
            }
            open.add(t);
          }
        } else if (item instanceof Closing c) {
          write(c);
        }
      } catch (RuntimeException e) {
        failed("gathering for the store", e);
      } finally {
        done.incrementAndGet();
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    }
  }

  private void write(Closing c) {
    open = null;
    IntervalBatch batch = batches.remove(c.start);
    // what was gathered for intervals before this one (none, unless a close was dropped) goes with it
    List<IntervalBatch> older = new ArrayList<>(batches.headMap(c.start).values());
    batches.headMap(c.start).clear();
    long begin = System.nanoTime();
    try {
      for (IntervalBatch b : older) {
        store.writeInterval(b.start, c.durationMs, List.of(), b, settings.slowMs);
        count(b);
      }
      if (store.writeInterval(c.start, c.durationMs, c.closed, batch, settings.slowMs)) {
        commits.increment();
      }
      if (batch != null) {
        count(batch);
      }
      long end = c.start + c.durationMs;
      if (Math.floorDiv(end, Store.MINUTE_MS) != lastMaintainedMinute) {
        // roll-up, retention and the size cap once a minute: a minute's rows are complete only then
        lastMaintainedMinute = Math.floorDiv(end, Store.MINUTE_MS);
        store.maintain(end);
      }
      errorLogged = false;
    } catch (java.sql.SQLException | RuntimeException e) {
      failed("writing the interval of " + c.start + " to " + store.file(), e);
    }
    lastCommitNanos = System.nanoTime() - begin;
  }

  private void count(IntervalBatch b) {
    notKept.add(b.notKept);
    folded.add(b.folded);
  }

  private void failed(String what, Exception e) {
    writeErrors.increment();
    LOG.log(errorLogged ? Level.FINE : Level.WARNING, "the store failed " + what + " (counted in"
        + " whatap_agent_store_write_errors_total; the agent goes on in memory): " + e, e);
    errorLogged = true;
  }

  /** How long the last interval's commit and maintenance took (ns). */
  public long lastCommitNanos() {
    return lastCommitNanos;
  }

  /**
   * Waits until everything handed over so far has been taken by the writer (tests, benchmarks), at
   * most {@code timeoutMs}; true when it was.
   */
  public boolean awaitIdle(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    synchronized (idle) {
      while (true) {
        if (done.get() >= handed.get()) {
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      }
    }
  }

  /** Writes what is queued (closed intervals), then closes the store. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
