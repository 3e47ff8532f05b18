package io.whatap.agent.assembly;

/**
 * One profile step of a completed transaction, as the agent keeps it and shows it: a headline
 * ({@link #title}), a second line ({@link #detail}), a long text ({@link #text}) and a number. The
 * factories below take each step pack's fields in wire order, under their wire names, and are the
 * only place that says which field is shown where.
 *
 * @param kind    sql, dbconn, httpc, error, msg or method
 * @param time    the step's start (epoch ms, the application's clock)
 * @param elapsed the step's duration (ms)
 * @param title   sql: the statement; dbconn: the connection url; httpc: the url called; error: the
 *                class; msg: the title; method: the method name
 * @param detail  sql: the connection url; httpc: the driver; error: the message; msg: the value
 * @param text    error and method: the stack; msg: the description
 * @param number  sql: rows fetched; httpc: the txid handed to the callee (0 when none)
 */
public record TxStep(String kind, long time, int elapsed, String title, String detail, String text,
    long number) {

  /** TX_SQL: the statement is the headline, its connection the second line. */
  static TxStep sql(long time, int elapsed, String dbc, String sql, int fetch) {
    return new TxStep("sql", time, elapsed, sql, dbc, null, fetch);
  }

  /** TX_DB_CONN. */
  static TxStep dbConn(long time, int elapsed, String dbc) {
    return new TxStep("dbconn", time, elapsed, dbc, null, null, 0);
  }

  /** TX_HTTPC: {@code stepId} is the txid handed to the callee. */
  static TxStep httpc(long time, int elapsed, String url, long stepId, String driver) {
    return new TxStep("httpc", time, elapsed, url, driver, null, stepId);
  }

  /** TX_ERROR. */
  static TxStep error(long time, int elapsed, String errorClass, String message, String stack) {
    return new TxStep("error", time, elapsed, errorClass, message, stack, 0);
  }

  /** TX_MSG. */
  static TxStep msg(long time, int elapsed, String title, String value, String description) {
    return new TxStep("msg", time, elapsed, title, value, description, 0);
  }

  /** TX_METHOD. */
  static TxStep method(long time, int elapsed, String method, String stack) {
    return new TxStep("method", time, elapsed, method, null, stack, 0);
  }

  long estimatedBytes() {
    return 64 + 2L * (len(title) + len(detail) + len(text));
  }

  static int len(String s) {
    return s == null ? 0 : s.length();
  }
}
