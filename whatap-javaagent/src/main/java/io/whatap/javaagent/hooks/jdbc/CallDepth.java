package io.whatap.javaagent.hooks.jdbc;

/**
 * How deep the current thread is in instrumented JDBC calls, so that only the outermost one records:
 * a pool's proxy statement over the driver's (HikariCP), a driver delegating to itself
 * ({@code executeQuery()} to an internal {@code execute}), a DataSource calling {@code Driver.connect},
 * or whatap-jdbc's library-mode wrapper over any of them. One small object per thread that uses JDBC,
 * reused; it also holds what the outermost call's exit needs (its statement and method), since only the
 * outermost call of a thread uses them.
 */
final class CallDepth {
  private static final ThreadLocal<CallDepth> CURRENT = ThreadLocal.withInitial(CallDepth::new);

  int depth;
  /** The outermost execution's statement and method, while it runs (cleared at its exit: nothing retained). */
  Object statement;
  String method;
  /** When the outermost connect started. */
  long connectStartMillis;
  long connectStartNanos;

  static CallDepth current() {
    return CURRENT.get();
  }
}
