package io.whatap.jdbc.internal;

import io.whatap.Transaction;

/**
 * The recording state of one statement: its SQL, the batch being built, the bind values (only when
 * profile_sql_params is on) and the execution in progress. One object per statement, reused by every
 * execution, so that an execution allocates nothing here. In library mode the traced wrapper is
 * its state (it extends this class: one object per statement); the bytecode hooks keep one beside
 * the driver's statement. Like the statement itself it is
 * used by one thread at a time (JDBC statements are not shared between threads while executing).
 */
public class StatementState {
  final ConnectionState connection;
  /** The SQL a PreparedStatement or CallableStatement was prepared with; null for a plain Statement. */
  final String preparedSql;
  /** Bind values, or null when profile_sql_params was off when the statement was made. */
  final BindValues binds;

  /** The transaction of the execution in progress; null when none is recorded. */
  Transaction tx;
  /** The SQL given to execute(sql) of a plain Statement, or the batch's text. */
  String executedSql;
  /** Whether {@link #executedSql} came from a plain Statement (its literals are masked). */
  boolean plain;
  long startMillis;
  long startNanos;
  int elapsedMs;
  long rows;
  /** True while a query's step waits for its row count. */
  boolean pending;
  /** Counts executions, so that a ResultSet of an earlier execution does not count into a later one. */
  int execution;

  /** The SQL of a plain Statement's batch so far (null when empty) and its size. */
  StringBuilder batchSql;
  int batchSize;

  boolean linked;
  StatementState prevPending;
  StatementState nextPending;

  public StatementState(ConnectionState connection, String preparedSql) {
    this.connection = connection;
    this.preparedSql = preparedSql;
    this.binds = preparedSql != null && JdbcRecorder.captureParams() ? new BindValues() : null;
  }

  /** Whether a query's step waits for its row count (its ResultSet is worth following). */
  public boolean isPending() {
    return pending;
  }

  /** The number of the execution in progress (given to the ResultSet it returns). */
  public int execution() {
    return execution;
  }
}
