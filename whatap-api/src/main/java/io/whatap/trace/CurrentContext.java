package io.whatap.trace;

/**
 * The transaction the current thread is working for. Adapters attach a context for the span of
 * a callback and always restore the previous one in {@code finally}, so a pooled or event-loop
 * thread never keeps a stale transaction. Async code captures a context explicitly and attaches
 * it on the other thread (see {@code Whatap.wrap}).
 */
public final class CurrentContext {
  private static final class Holder {
    TraceContext ctx;
  }

  private static final ThreadLocal<Holder> HOLDER = ThreadLocal.withInitial(Holder::new);

  private CurrentContext() { }

  /** The current thread's transaction, or null. */
  public static TraceContext get() {
    return HOLDER.get().ctx;
  }

  /** Makes {@code ctx} current and returns what was current before, for {@link #restore}. */
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
}
