package loadapp;

import io.whatap.Transaction;
import io.whatap.Whatap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the load applications saw on their threads. The application lives outside
 * {@code io.whatap} so that a pinned stack through it is not mistaken for one through the agent.
 */
public final class LoadCounters {
  /** A thread-local of the application's own, set on a thread's first request: counts distinct serving threads. */
  private static final ThreadLocal<Boolean> SEEN = new ThreadLocal<>();

  public final LongAdder requests = new LongAdder();
  public final LongAdder onVirtualThreads = new LongAdder();
  public final LongAdder servingThreads = new LongAdder();
  public final LongAdder untraced = new LongAdder();
  /** Hops to a new virtual thread that saw the request's transaction there. */
  public final LongAdder hops = new LongAdder();
  /** Requests whose transaction was another one, or none, after a hop or an await. */
  public final LongAdder lostAcrossHop = new LongAdder();

  /** Counts this request and records a step in its transaction; returns the transaction. */
  public Transaction onRequest() {
    requests.increment();
    if (VirtualThreads.isVirtual(Thread.currentThread())) {
      onVirtualThreads.increment();
    }
    if (SEEN.get() == null) {
      SEEN.set(Boolean.TRUE);
      servingThreads.increment();
    }
    Transaction tx = Whatap.currentTransaction();
    if (tx == Transaction.NOOP) {
      untraced.increment();
    } else {
      tx.sql("jdbc:load", "select 1", System.currentTimeMillis(), 0, 1);
    }
    return tx;
  }

  /**
   * Hands work to a new virtual thread through {@code Whatap.wrap}: there the request's
   * transaction must be the current one, and a step recorded there joins it.
   */
  public CompletableFuture<Void> hop(Transaction tx) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    VirtualThreads.start(Whatap.wrap(() -> {
      Transaction there = Whatap.currentTransaction();
      if (tx != Transaction.NOOP && there.txid() == tx.txid() && VirtualThreads.isVirtual(Thread.currentThread())) {
        there.message("hop", "new virtual thread", "");
        hops.increment();
      } else {
        lostAcrossHop.increment();
      }
      done.complete(null);
    }));
    return done;
  }

  /** Checks, after the request's own thread waited, that it still sees the transaction it had before. */
  public void afterWait(Transaction before) {
    if (before == Transaction.NOOP || Whatap.currentTransaction().txid() != before.txid()) {
      lostAcrossHop.increment();
    }
  }

  @Override
  public String toString() {
    return "requests=" + requests + ", onVirtualThreads=" + onVirtualThreads + ", servingThreads=" + servingThreads
        + ", hops=" + hops + ", untraced=" + untraced + ", lostAcrossHop=" + lostAcrossHop;
  }
}
