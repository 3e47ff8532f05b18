package io.whatap.trace;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
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
 *
 * <p>Nobody outside this class writes the attach/try/finally-restore pattern: a task handed to
 * another thread is {@linkplain #wrap(TraceContext, Runnable) wrapped} (one object, as any
 * wrapper), and a callback run in place goes through {@link #run}/{@link #call} with a
 * non-capturing method reference and its arguments ({@code CurrentContext.run(tx,
 * HttpHandler::handleRequest, next, exchange)}): a non-capturing reference is a constant, so the
 * request path stays allocation-free.
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

  /** A callback of two arguments that may throw {@code X}: what {@link #run} runs. */
  @FunctionalInterface
  public interface Action<A, B, X extends Throwable> {
    void run(A a, B b) throws X;
  }

  /** A callback of two arguments that returns a value and may throw {@code X}: what {@link #call} runs. */
  @FunctionalInterface
  public interface Call<A, B, R, X extends Throwable> {
    R apply(A a, B b) throws X;
  }

  /**
   * Runs {@code action(a, b)} with {@code ctx} current, then puts back what was current before,
   * whatever happens. Pass a non-capturing method reference ({@code Handler::handle}) and the
   * objects it works on as {@code a}, {@code b}: then nothing is allocated.
   */
  public static <A, B, X extends Throwable> void run(TraceContext ctx, Action<A, B, X> action, A a, B b)
      throws X {
    Object[] s = slot();
    Object previous = s[0];
    s[0] = ctx;
    try {
      action.run(a, b);
    } finally {
      s[0] = previous;
    }
  }

  /** As {@link #run}, returning what {@code function(a, b)} returns. */
  public static <A, B, R, X extends Throwable> R call(TraceContext ctx, Call<A, B, R, X> function, A a, B b)
      throws X {
    Object[] s = slot();
    Object previous = s[0];
    s[0] = ctx;
    try {
      return function.apply(a, b);
    } finally {
      s[0] = previous;
    }
  }

  /** {@code task}, run with {@code ctx} current on whatever thread runs it (the previous context restored after). */
  public static Runnable wrap(TraceContext ctx, Runnable task) {
    return () -> run(ctx, RUN, task, null);
  }

  /** {@code task}, called with {@code ctx} current on whatever thread calls it. */
  public static <T> Callable<T> wrap(TraceContext ctx, Callable<T> task) {
    return () -> call(ctx, (t, unused) -> t.call(), task, null);
  }

  /**
   * An executor that runs every task given to it with {@code ctx} current (pooled threads are
   * left clean); {@code executor} itself when it is already such a wrapper for {@code ctx}, so
   * nested adapters that both wrap a request's executor do not attach twice.
   */
  public static Executor wrap(TraceContext ctx, Executor executor) {
    if (executor instanceof ContextExecutor && ((ContextExecutor) executor).ctx == ctx) {
      return executor;
    }
    return new ContextExecutor(ctx, executor);
  }

  private static final class ContextExecutor implements Executor {
    final TraceContext ctx;
    private final Executor delegate;

    ContextExecutor(TraceContext ctx, Executor delegate) {
      this.ctx = ctx;
      this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
      delegate.execute(wrap(ctx, task));
    }
  }

  private static final Action<Runnable, Void, RuntimeException> RUN = (task, unused) -> task.run();

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
