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
 *
 * <p>The thread-local value is a one-slot {@code Object[]}: a class of the JDK's, so that a
 * container checking its threads when a web application stops (Tomcat's "ThreadLocal with key of
 * type ... and a value of type ...") finds nothing of the application's class loader in them, and
 * the slot is null whenever no request runs on the thread ({@link #restore} puts back the null
 * that was there), so nothing pins that class loader either. The slot is reused from request to
 * request: attaching costs no allocation.
 */
public final class CurrentContext {
  /** A plain ThreadLocal: the key's class is the JDK's too (a {@code withInitial} one would hold a supplier of ours). */
  private static final ThreadLocal<Object[]> SLOT = new ThreadLocal<>();
  private static volatile Supplier<TraceContext> lookup;

  private CurrentContext() { }

  /** The current thread's transaction, else what a registered lookup finds, or null. */
  public static TraceContext get() {
    TraceContext c = (TraceContext) slot()[0];
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
    return (TraceContext) slot()[0];
  }

  private static Object[] slot() {
    Object[] s = SLOT.get();
    if (s == null) {
      s = new Object[1];
      SLOT.set(s);
    }
    return s;
  }

  /** Makes {@code ctx} current and returns what was attached before, for {@link #restore}. */
  public static TraceContext attach(TraceContext ctx) {
    Object[] s = slot();
    TraceContext previous = (TraceContext) s[0];
    s[0] = ctx;
    return previous;
  }

  /** Puts back what {@link #attach} returned. */
  public static void restore(TraceContext previous) {
    slot()[0] = previous;
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
