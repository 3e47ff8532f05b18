package io.whatap;

import io.whatap.trace.TraceContext;

/**
 * The API's view of a running transaction: {@link Transaction} over the core's {@link TraceContext}.
 * The core does not implement the API's interface itself, so the trace layer never depends on the
 * facade above it (docs/architecture.md, "Layers"). One is made when application code asks for a
 * transaction object ({@code startTransaction}, {@code currentTransaction}); the facade's static
 * recorders ({@code Whatap.sql}, {@code httpCall}, ...) and the adapters go to the context directly.
 */
final class ActiveTransaction implements Transaction {
  final TraceContext ctx;

  ActiveTransaction(TraceContext ctx) {
    this.ctx = ctx;
  }

  @Override public long txid() {
    return ctx.txid();
  }

  @Override public String name() {
    return ctx.name();
  }

  @Override public void rename(String name) {
    ctx.rename(name);
  }

  @Override public void sql(String dbConnection, String sql, long startMillis, int elapsedMs, int fetch) {
    ctx.sql(dbConnection, sql, startMillis, elapsedMs, fetch);
  }

  @Override public void dbConnect(String dbConnection, long startMillis, int elapsedMs) {
    ctx.dbConnect(dbConnection, startMillis, elapsedMs);
  }

  @Override public void httpCall(String url, long startMillis, int elapsedMs, int status) {
    ctx.httpCall(url, startMillis, elapsedMs, status);
  }

  @Override public void httpCall(String url, long startMillis, int elapsedMs, int status, long calleeTxid) {
    ctx.httpCall(url, startMillis, elapsedMs, status, calleeTxid);
  }

  @Override public void message(String title, String value, String description) {
    ctx.message(title, value, description);
  }

  @Override public void method(String methodName, long startMillis, int elapsedMs) {
    ctx.method(methodName, startMillis, elapsedMs);
  }

  @Override public void error(Throwable error) {
    ctx.error(error);
  }

  @Override public void error(String errorClass, String message) {
    ctx.error(errorClass, message);
  }

  @Override public void status(int status) {
    ctx.status(status);
  }

  @Override public void beforeEnd(Runnable action) {
    ctx.beforeEnd(action);
  }

  @Override public void end() {
    ctx.end();
  }

  /** Equal when over the same transaction, so two asks for the current transaction compare equal. */
  @Override public boolean equals(Object o) {
    return o instanceof ActiveTransaction && ((ActiveTransaction) o).ctx == ctx;
  }

  @Override public int hashCode() {
    return Long.hashCode(ctx.txid());
  }

  @Override public String toString() {
    return ctx.toString();
  }
}
