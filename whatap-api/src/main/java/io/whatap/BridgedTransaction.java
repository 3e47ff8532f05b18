package io.whatap;

import io.whatap.runtime.Javaagent;

/**
 * A transaction of the javaagent, as this copy of whatap-api hands it to the application when the
 * application bundles its own whatap-api and runs under {@code -javaagent} (see
 * {@link Javaagent}): every call records into the javaagent's transaction through its bridge.
 */
final class BridgedTransaction implements Transaction {
  /** The javaagent's handle (its own {@code Transaction}), opaque here. */
  final Object handle;

  private BridgedTransaction(Object handle) {
    this.handle = handle;
  }

  /** {@code handle} as a {@link Transaction}; {@link Transaction#NOOP} for null. */
  static Transaction of(Object handle) {
    return handle == null ? NOOP : new BridgedTransaction(handle);
  }

  @Override public long txid() {
    return Javaagent.txid(handle);
  }

  @Override public String name() {
    return Javaagent.name(handle);
  }

  @Override public void rename(String name) {
    Javaagent.rename(handle, name);
  }

  @Override public void sql(String dbConnection, String sql, long startMillis, int elapsedMs, int fetch) {
    Javaagent.sql(handle, dbConnection, sql, startMillis, elapsedMs, fetch);
  }

  @Override public void dbConnect(String dbConnection, long startMillis, int elapsedMs) {
    Javaagent.dbConnect(handle, dbConnection, startMillis, elapsedMs);
  }

  @Override public void httpCall(String url, long startMillis, int elapsedMs, int status) {
    Javaagent.httpCall(handle, url, startMillis, elapsedMs, status, 0, null);
  }

  @Override public void httpCall(String url, long startMillis, int elapsedMs, int status, long calleeTxid) {
    Javaagent.httpCall(handle, url, startMillis, elapsedMs, status, calleeTxid, null);
  }

  @Override public void message(String title, String value, String description) {
    Javaagent.message(handle, title, value, description);
  }

  @Override public void method(String methodName, long startMillis, int elapsedMs) {
    Javaagent.method(handle, methodName, startMillis, elapsedMs);
  }

  @Override public void error(Throwable error) {
    Javaagent.error(handle, error);
  }

  @Override public void error(String errorClass, String message) {
    Javaagent.error(handle, errorClass, message);
  }

  @Override public void status(int status) {
    Javaagent.status(handle, status);
  }

  @Override public void beforeEnd(Runnable action) {
    Javaagent.beforeEnd(handle, action);
  }

  @Override public void end() {
    Javaagent.end(handle);
  }

  /** Equal when over the same transaction of the javaagent. */
  @Override public boolean equals(Object o) {
    return o instanceof BridgedTransaction && ((BridgedTransaction) o).handle.equals(handle);
  }

  @Override public int hashCode() {
    return handle.hashCode();
  }

  @Override public String toString() {
    return handle.toString();
  }
}
