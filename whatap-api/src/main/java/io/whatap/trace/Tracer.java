package io.whatap.trace;

import io.whatap.config.Config;
import io.whatap.util.AgentLog;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Starts and ends transactions: the one place where a context is created, registered as
 * active, measured, unregistered and handed to the sink. Neither call blocks or throws.
 */
public final class Tracer {
  /**
   * Chains of pooled steps kept for reuse: 4,096 x 4 steps of 64 bytes, 1 MiB at most, filled
   * only as far as transactions in flight have needed steps at once.
   */
  static final int STEP_POOL_CHAINS = 4096;

  private final Supplier<Config> config;
  private final Meters meters;
  private final ActiveRegistry active;
  private final TransactionSink sink;
  private final StepPool stepPool = new StepPool(STEP_POOL_CHAINS);

  public Tracer(Supplier<Config> config, Meters meters, ActiveRegistry active, TransactionSink sink) {
    this.config = config;
    this.meters = meters;
    this.active = active;
    this.sink = sink;
  }

  public Config config() {
    return config.get();
  }

  public Meters meters() {
    return meters;
  }

  public ActiveRegistry active() {
    return active;
  }

  StepPool stepPool() {
    return stepPool;
  }

  int profileStepMax() {
    return config.get().profileStepMax;
  }

  /** A fresh transaction id: random 64-bit, never 0, from a per-thread generator. */
  public static long newTxid() {
    long id;
    do {
      id = ThreadLocalRandom.current().nextLong();
    } while (id == 0);
    return id;
  }

  /** Starts a transaction named {@code name}; it is registered as active but not attached to the thread. */
  public TraceContext start(String name) {
    return start(name, 0L);
  }

  /** Starts a transaction whose txid the caller assigned (incoming multi-transaction header), or a new one when 0. */
  public TraceContext start(String name, long assignedTxid) {
    Config c = config.get();
    int rate = c.traceSamplingRate;
    boolean sampled = rate >= 100 || (rate > 0 && ThreadLocalRandom.current().nextInt(100) < rate);
    TraceContext ctx = new TraceContext(this, assignedTxid != 0 ? assignedTxid : newTxid(), name,
        sampled, c.traceThreadCpu);
    active.register(ctx);
    return ctx;
  }

  /** Starts a transaction and makes it the current thread's until its {@code end()}. */
  public TraceContext startAttached(String name) {
    TraceContext ctx = start(name, 0L);
    TraceContext previous = CurrentContext.attach(ctx);
    ctx.previousOnThread = previous == null || previous.isEnded() ? null : previous;
    ctx.attachedByStart = true;
    return ctx;
  }

  /** Ends {@code ctx} exactly once: later calls (a timeout racing a completion) do nothing. */
  public void end(TraceContext ctx) {
    if (ctx == null) {
      return;
    }
    if (!ctx.isEnded()) {
      ctx.runEndActions(); // before markEnded: steps they record must still be accepted
    }
    if (!ctx.markEnded()) {
      return;
    }
    try {
      long now = System.nanoTime();
      ctx.finish(now);
      active.unregister(ctx);
      if (sink.countsStatistics(now)) {
        // stats mode: the sender counts it as it aggregates it, off this thread
        ctx.countedInStats = true;
        if (!sink.offer(ctx)) {
          meters.record(ctx.elapsedMs, isError(ctx)); // dropped before the sender saw it: the counters still count it
        }
      } else {
        meters.record(ctx.elapsedMs, isError(ctx));
        sink.offer(ctx);
      }
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("tracer-end", "ending a transaction failed", e);
    }
  }

  private boolean isError(TraceContext ctx) {
    return ctx.hasError() || (ctx.status != 0 && config.get().isErrorStatus(ctx.status));
  }

  /**
   * Drops {@code ctx} without sending or counting it: for a transaction whose request could not
   * be read, so that it holds no slot of the active table until eviction.
   */
  public void abandon(TraceContext ctx) {
    if (ctx != null && ctx.markEnded()) {
      active.unregister(ctx);
    }
  }

  /** Ends {@code ctx} with an HTTP status and, if the request failed, what it failed with. */
  public void end(TraceContext ctx, int status, Throwable error) {
    if (ctx == null || ctx.isEnded()) {
      return;
    }
    if (status != 0) {
      ctx.status = status;
    }
    if (error != null) {
      ctx.failWith(error);
    }
    end(ctx);
  }
}
