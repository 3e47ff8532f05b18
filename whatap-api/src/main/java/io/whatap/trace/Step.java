package io.whatap.trace;

import io.whatap.wire.PackType;

/**
 * One recorded step of a transaction, with the fields of its kind ({@link #type}, a
 * {@link PackType} TX_* step type) under their own names; the fields of the other kinds stay
 * null or 0. Each kind's fields are set in exactly one {@link TraceContext} method and written
 * by exactly one {@link io.whatap.wire.PackEncoder} method:
 * <ul>
 * <li>TX_SQL ({@link TraceContext#sql}): {@link #dbc}, {@link #sql}, {@link #fetch}</li>
 * <li>TX_DB_CONN ({@link TraceContext#dbConnect}): {@link #dbc}</li>
 * <li>TX_HTTPC ({@link TraceContext#httpCall}): {@link #url}, {@link #calleeTxid}, {@link #driver}</li>
 * <li>TX_ERROR ({@link TraceContext#error}): {@link #errorClass}, {@link #errorMessage}, {@link #error}</li>
 * <li>TX_MSG ({@link TraceContext#message}): {@link #title}, {@link #value}, {@link #description}</li>
 * <li>TX_METHOD ({@link TraceContext#method}): {@link #methodName}</li>
 * </ul>
 *
 * <p>Steps are pushed onto a lock-free stack in the context (newest first, linked through
 * {@link #next}); the sender reverses them when it encodes and then gives them back to the
 * tracer's {@link StepPool}, so a step object is reused by later transactions (recording a step
 * allocates nothing in steady state): read a step only until its transaction has been sent.
 */
public final class Step {
  int type;
  long time;
  int elapsed;
  /** TX_SQL, TX_DB_CONN: the database connection url. */
  String dbc;
  /** TX_SQL: the statement. */
  String sql;
  /** TX_SQL: rows fetched, 0 when unknown. */
  int fetch;
  /** TX_HTTPC: the url called. */
  String url;
  /** TX_HTTPC: the txid handed to the callee in our headers (the wire's step id), 0 when none. */
  long calleeTxid;
  /** TX_HTTPC: the HTTP client library, null when not named. */
  String driver;
  /** TX_ERROR: the exception class name. */
  String errorClass;
  /** TX_ERROR: the message given with {@link #errorClass} when there is no throwable. */
  String errorMessage;
  /** TX_ERROR: kept as the throwable so its message and stack are read by the sender, not on the request thread. */
  Throwable error;
  /** TX_MSG. */
  String title;
  String value;
  String description;
  /** TX_METHOD: the method's name. */
  String methodName;
  Step next;
  int index;

  Step() { }

  /** Forgets what the step referenced, so a pooled step keeps no SQL text or throwable alive. */
  void clear() {
    dbc = null;
    sql = null;
    url = null;
    driver = null;
    errorClass = null;
    errorMessage = null;
    error = null;
    title = null;
    value = null;
    description = null;
    methodName = null;
  }

  /** The {@link PackType} TX_* step type. */
  public int type() {
    return type;
  }

  /** The step's start, epoch milliseconds. */
  public long time() {
    return time;
  }

  /** The step's duration, milliseconds. */
  public int elapsed() {
    return elapsed;
  }

  public String dbc() {
    return dbc;
  }

  public String sql() {
    return sql;
  }

  public int fetch() {
    return fetch;
  }

  public String url() {
    return url;
  }

  public long calleeTxid() {
    return calleeTxid;
  }

  public String driver() {
    return driver;
  }

  public String errorClass() {
    return errorClass;
  }

  /** The throwable's message when the error was recorded as one, else the message given with the class. */
  public String errorMessage() {
    return error != null ? error.getMessage() : errorMessage;
  }

  /** The recorded throwable, null when the error was recorded as a class name and message. */
  public Throwable error() {
    return error;
  }

  public String title() {
    return title;
  }

  public String value() {
    return value;
  }

  public String description() {
    return description;
  }

  public String methodName() {
    return methodName;
  }

  public Step next() {
    return next;
  }
}
