package io.whatap.profiling;

import io.whatap.runtime.Agent;
import io.whatap.runtime.BatchAgent;
import io.whatap.runtime.Javaagent;
import io.whatap.util.AgentLog;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;

/**
 * The one implementation of method and batch profiling, shared by {@code Whatap.profile},
 * {@code Whatap.batch}, the {@code Whatap.profile(instance, Interface.class)} proxies and the
 * weaver's advice (which inlines calls to {@link #enter}, {@link #enterBatch} and {@link #exit}
 * into woven methods, so these signatures are a contract with whatap-javaagent).
 *
 * <p>The caller runs the profiled code exactly once between {@code enter} and {@code exit}, with
 * its own result and exception: nothing here throws, and a null scope means "nothing to record".
 */
public final class MethodProfiler {
  private MethodProfiler() { }

  /** What {@link #exit} needs to finish a call: a step of {@code ctx}, or a transaction of its own. */
  static final class Scope {
    final TraceContext ctx;
    final String name;
    final long startMillis;
    final long startNanos;
    /** True when {@code ctx} was started for this call and ends with it. */
    final boolean ownsTransaction;
    final TraceContext previous;

    Scope(TraceContext ctx, String name, boolean ownsTransaction, TraceContext previous) {
      this.ctx = ctx;
      this.name = name;
      this.ownsTransaction = ownsTransaction;
      this.previous = previous;
      this.startMillis = System.currentTimeMillis();
      this.startNanos = System.nanoTime();
    }
  }

  /**
   * Starts profiling a call of the method {@code name}: a step of the current transaction, or
   * outside any transaction a transaction named {@code name} (when
   * method_profiling_outside_transaction allows; otherwise null: the call costs nothing more).
   */
  public static Object enter(String name) {
    try {
      TraceContext current = CurrentContext.get();
      if (current != null) {
        return new Scope(current, name, false, null);
      }
      if (Javaagent.PRESENT) {
        // an application's copy under the javaagent: a step of the javaagent's transaction (or one of its own)
        return Javaagent.profileEnter(name);
      }
      Agent agent = Agent.get();
      if (!agent.config().methodProfilingOutsideTransaction) {
        return null;
      }
      TraceContext own = agent.tracer.start(name);
      return new Scope(own, name, true, CurrentContext.attach(own));
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("method-profiler-enter", "could not profile a method call; it runs untraced", e);
      return null;
    }
  }

  /** Starts one run of the batch job {@code job}: a transaction of the batch agent, current on this thread. */
  public static Object enterBatch(String job) {
    if (Javaagent.PRESENT) {
      return Javaagent.batchEnter(job);
    }
    try {
      TraceContext run = BatchAgent.get().start(job);
      if (run == null) {
        return null;
      }
      return new Scope(run, job, true, CurrentContext.attach(run));
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("batch-enter", "could not trace a batch job; it runs untraced", e);
      return null;
    }
  }

  /**
   * Finishes what {@link #enter} or {@link #enterBatch} started; {@code thrown} is what the call
   * threw (recorded as the transaction's error), or null.
   */
  public static void exit(Object scope, Throwable thrown) {
    if (!(scope instanceof Scope)) {
      if (scope != null && Javaagent.PRESENT) {
        Javaagent.profileExit(scope, thrown); // a scope of the javaagent's
      }
      return;
    }
    Scope s = (Scope) scope;
    try {
      if (thrown != null && s.ctx.errorThrowable() != thrown) {
        s.ctx.error(thrown); // once per exception, however many profiled frames it passes through
      }
      if (s.ownsTransaction) {
        CurrentContext.restore(s.previous);
        s.ctx.end();
      } else {
        long elapsedMs = (System.nanoTime() - s.startNanos) / 1_000_000;
        s.ctx.method(s.name, s.startMillis, (int) Math.min(Integer.MAX_VALUE, elapsedMs));
      }
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("method-profiler-exit", "could not record a profiled method call", e);
    }
  }
}
