package io.whatap.agent.assembly;

/**
 * One profile step of a completed transaction, as the agent keeps it.
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
  long estimatedBytes() {
    return 64 + 2L * (len(title) + len(detail) + len(text));
  }

  static int len(String s) {
    return s == null ? 0 : s.length();
  }
}
