package io.whatap.javaagent.bootstrap;

/**
 * Implemented by instrumented library classes that carry the agent's state beside their own (a JDBC
 * statement its SQL and execution, a connection its URL, a result set the execution it reads): the
 * agent adds a private transient field and these two accessors to the class as it loads. Reached
 * through this interface only, so a subclass that gets its own field (its superclass was
 * instrumented too) still reads and writes one field per object: its accessors override the
 * superclass's. In the bootstrap package so every class loader resolves it to the same type.
 */
public interface StateHolder {
  /** The agent's state kept on this object, or null. */
  Object whatap$state();

  void whatap$state(Object state);
}
