package io.whatap.trace;

import java.util.function.Supplier;

/**
 * The transaction the current thread is working for. Adapters attach a context for the span of
 * a callback and always restore the previous one in {@code finally}, so a pooled or event-loop
 * thread never keeps a stale transaction. Async code captures a context explicitly and attaches
 * it on the other thread (see {@code Whatap.wrap}).
 *
 * <p>Frameworks that keep per-request state in a context of their own (Vert.x runs every
 * callback of a request on that request's context, on whatever thread) register a
 * {@linkplain #addLookup lookup}: it is asked only when nothing is attached to the thread, so
 * callbacks no adapter code surrounds still see their request's transaction.
 */
public final class CurrentContext {
  private static final class Holder {
    TraceContext ctx;
  }

  private static final ThreadLocal<Holder> HOLDER = ThreadLocal.withInitial(Holder::new);
  private static volatile Supplier<TraceContext> lookup;

  private CurrentContext() { }

  /** The current thread's transaction, else what a registered lookup finds, or null. */
  public static TraceContext get() {
    TraceContext c = HOLDER.get().ctx;
    if (c == null || c.isEnded()) {
      // an ended transaction left attached (a manual one ended on another thread) is not current
      c = null;
      Supplier<TraceContext> l = lookup;
      if (l != null) {
        c = l.get();
      }
    }
    return c;
  }

  /** What is attached to this thread, ended or not (for a manual transaction detaching itself). */
  static TraceContext attached() {
    return HOLDER.get().ctx;
  }

  /** Makes {@code ctx} current and returns what was attached before, for {@link #restore}. */
  public static TraceContext attach(TraceContext ctx) {
    Holder h = HOLDER.get();
    TraceContext previous = h.ctx;
    h.ctx = ctx;
    return previous;
  }

  /** Puts back what {@link #attach} returned. */
  public static void restore(TraceContext previous) {
    HOLDER.get().ctx = previous;
  }

  /**
   * Adds where to find the current transaction when none is attached to the thread. The lookup
   * runs on the request path: it must be cheap, must not throw, and must return null rather
   * than a transaction that has ended. Lookups added earlier are asked first.
   */
  public static synchronized void addLookup(Supplier<TraceContext> next) {
    Supplier<TraceContext> first = lookup;
    lookup = first == null ? next : () -> {
      TraceContext c = first.get();
      return c != null ? c : next.get();
    };
  }
}
