package io.whatap.javaagent.bootstrap;

/**
 * What an instrumented call site reaches through {@link Bridge}: {@code enter} before the original
 * code, {@code exit} after it (normal return or throw). Implemented inside the agent's isolated
 * class loaders; only JDK types cross this interface, so the instrumented class sees nothing of the
 * agent but this package.
 */
public interface Hook {
  /**
   * Called before the original code; returns the scope {@link #exit} needs, or null when this
   * call records nothing. {@code self} is the instrumented instance (null for a static method or
   * when the hook does not need it), {@code arg0} and {@code arg1} what the hook's advice passes.
   */
  Object enter(Object self, Object arg0, Object arg1);

  /** The value the original code sees in place of its first argument (e.g. a wrapped request); {@code original} when unchanged. */
  default Object argument(Object scope, Object original) {
    return original;
  }

  /** Called after the original code with its result (null for void or when not passed) and what it threw, if anything. */
  void exit(Object scope, Object returned, Throwable thrown);

  /**
   * {@link #exit} for call sites that let the hook replace the result (see
   * {@link Bridge#exitReturning}); by default {@link #exit} and the result unchanged.
   */
  default Object exitReturning(Object scope, Object returned, Throwable thrown) {
    exit(scope, returned, thrown);
    return returned;
  }
}
