package io.whatap;

/**
 * A transaction as the application sees it: what {@link Whatap#currentTransaction()} returns.
 * Every method is safe to call from any thread, never throws, and does nothing on the
 * {@link #NOOP} transaction that stands in when no transaction is active.
 */
public interface Transaction {
  /** The transaction's id (never 0 for a real transaction; 0 for {@link #NOOP}). */
  long txid();

  String name();

  /** Gives the transaction a new name, e.g. a route template known only after routing. */
  void rename(String name);

  /** Records an SQL statement that ran for {@code elapsedMs}; {@code fetch} rows, or -1 when unknown. */
  void sql(String dbConnection, String sql, long startMillis, int elapsedMs, int fetch);

  /** Records the opening of a database connection that took {@code elapsedMs}. */
  void dbConnect(String dbConnection, long startMillis, int elapsedMs);

  /** Records an outgoing HTTP call to {@code url}. */
  void httpCall(String url, long startMillis, int elapsedMs, int status);

  /**
   * Records an outgoing HTTP call that carried the headers of {@link Whatap#outgoingHeaders}:
   * {@code calleeTxid}, what that call returned, links the callee's transaction to this step.
   */
  void httpCall(String url, long startMillis, int elapsedMs, int status, long calleeTxid);

  /** Records a free-form message step (title, value, description). */
  void message(String title, String value, String description);

  /** Records a method step. */
  void method(String methodName, long startMillis, int elapsedMs);

  /** Records an error step; the transaction is marked as failed. */
  void error(Throwable error);

  /** Records an error by class name and message (e.g. an HTTP status phrase). */
  void error(String errorClass, String message);

  /** Sets the HTTP status the transaction will report (the adapter's final status wins). */
  void status(int status);

  /** Ends the transaction (once; later calls do nothing) and detaches it from this thread. */
  void end();

  /**
   * Runs {@code action} once, on the thread that ends this transaction, just before it ends, while
   * steps can still be recorded: for a recorder holding a step it can complete only later (a query
   * whose row count is known when its result set closes). An action that throws is caught and
   * logged. Does nothing on {@link #NOOP} or once the transaction has ended.
   */
  default void beforeEnd(Runnable action) { }

  /** The transaction that stands in when none is active: every call does nothing. */
  Transaction NOOP = new Transaction() {
    @Override public long txid() {
      return 0;
    }

    @Override public String name() {
      return "";
    }

    @Override public void rename(String name) { }

    @Override public void sql(String dbc, String sql, long start, int elapsed, int fetch) { }

    @Override public void dbConnect(String dbc, long start, int elapsed) { }

    @Override public void httpCall(String url, long start, int elapsed, int status) { }

    @Override public void httpCall(String url, long start, int elapsed, int status, long calleeTxid) { }

    @Override public void message(String title, String value, String description) { }

    @Override public void method(String methodName, long start, int elapsed) { }

    @Override public void error(Throwable error) { }

    @Override public void error(String errorClass, String message) { }

    @Override public void status(int status) { }

    @Override public void end() { }
  };
}
