package io.whatap.jdbc.internal;

import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.config.Config;
import io.whatap.spi.AgentConfig;
import io.whatap.spi.AgentLogs;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The one recording implementation for JDBC: the traced wrappers of library mode call it, and the
 * javaagent's bytecode hooks are to call the same methods with the same {@link StatementState}.
 * It records only through the public {@link Transaction} API.
 *
 * <p>Every method is guarded: nothing here throws into the application; a failure is counted and
 * logged once. Statement methods run on the statement's thread and allocate nothing unless a step
 * is recorded with options that need text (literal masking of a plain Statement, bind values).
 *
 * <p>When a step is recorded: an update, a batch or a failure at once; a query (its row count is
 * known only as the application reads) when its ResultSet has returned its last row or is closed,
 * or the statement is executed again, moves to its next result, is closed, its connection is
 * closed, or its transaction ends, whichever comes first. {@link StatementState#pending} is cleared before the step is
 * recorded, so each execution gives exactly one step.
 */
public final class JdbcRecorder {
  private JdbcRecorder() { }

  // ---------------------------------------------------------------- connections

  /**
   * Records TX_DB_CONN for a connection obtained from {@code startNanos} on (its start in epoch ms
   * is {@code startMillis}); {@code dbc} is the URL already without credentials.
   */
  public static void connected(String dbc, long startMillis, long startNanos) {
    try {
      Transaction tx = Whatap.currentTransaction();
      if (tx.txid() == 0 || !enabled()) {
        return;
      }
      tx.dbConnect(dbc, startMillis, elapsedMs(startNanos));
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-connected", e);
    }
  }

  /** Records the connect step and the transaction's error for a connection that could not be had. */
  public static void connectFailed(String dbc, long startMillis, long startNanos, Throwable error) {
    try {
      Transaction tx = Whatap.currentTransaction();
      if (tx.txid() == 0 || !enabled()) {
        return;
      }
      tx.dbConnect(dbc, startMillis, elapsedMs(startNanos));
      recordError(tx, error);
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-connect-failed", e);
    }
  }

  /** The URL of {@code url} as it may appear in packs. */
  public static String dbc(String url) {
    try {
      return JdbcUrls.withoutCredentials(url);
    } catch (RuntimeException e) {
      fault("jdbc-url", e);
      return "jdbc:(unreadable url)";
    }
  }

  /** Records the steps still waiting for their row count on a connection about to close. */
  public static void connectionClosing(ConnectionState connection) {
    try {
      StatementState s = connection.pendingHead;
      while (s != null) {
        StatementState next = s.nextPending;
        finish(s);
        s = next;
      }
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-connection-close", e);
    }
  }

  // ---------------------------------------------------------------- statements

  /**
   * Before execute/executeQuery/executeUpdate/executeLargeUpdate/executeBatch; {@code sql} is the
   * text given to a plain Statement's method, or null (prepared SQL, or the batch).
   */
  public static void beforeExecute(StatementState s, String sql) {
    try {
      if (s.pending) {
        finish(s); // a new execution closes the previous ResultSet: its count is what was read
      }
      Transaction tx = Whatap.currentTransaction();
      if (tx.txid() == 0 || !enabled()) {
        s.tx = null;
        return;
      }
      s.tx = tx;
      s.execution++;
      if (sql != null) {
        s.executedSql = sql;
        s.plain = s.preparedSql == null;
      } else if (s.batchSql != null) {
        s.executedSql = s.batchSql.toString();
        s.plain = true;
      } else {
        s.executedSql = s.preparedSql;
        s.plain = false;
      }
      s.rows = 0;
      s.startMillis = System.currentTimeMillis();
      s.startNanos = System.nanoTime();
    } catch (RuntimeException | LinkageError e) {
      s.tx = null;
      fault("jdbc-before-execute", e);
    }
  }

  /** executeQuery returned: the step waits for the row count. */
  public static void afterQuery(StatementState s) {
    try {
      if (s.tx == null) {
        return;
      }
      s.elapsedMs = elapsedMs(s.startNanos);
      s.pending = true;
      ConnectionState c = s.connection;
      c.link(s);
      if (c.endHookTx != s.tx) {
        c.endHookTx = s.tx;
        s.tx.beforeEnd(c); // the transaction may end before the application closes anything
      }
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-after-query", e);
    }
  }

  /** execute returned {@code hasResultSet}; without a ResultSet the update count is the step's fetch. */
  public static void afterExecute(StatementState s, boolean hasResultSet, Statement statement) {
    if (s.tx == null) {
      return;
    }
    if (hasResultSet) {
      afterQuery(s);
      return;
    }
    long count;
    try {
      count = statement.getUpdateCount();
    } catch (SQLException | RuntimeException e) {
      count = 0;
    }
    afterUpdate(s, count);
  }

  public static void afterUpdate(StatementState s, long updateCount) {
    try {
      if (s.tx == null) {
        return;
      }
      s.elapsedMs = elapsedMs(s.startNanos);
      record(s, Math.max(0, updateCount));
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-after-update", e);
    }
  }

  /** executeBatch returned: the fetch is the sum of the known update counts. */
  public static void afterBatch(StatementState s, Object counts) {
    try {
      clearBatch(s);
      if (s.tx == null) {
        return;
      }
      long sum = 0;
      if (counts instanceof int[]) {
        for (int c : (int[]) counts) {
          sum += Math.max(0, c); // SUCCESS_NO_INFO (-2) and EXECUTE_FAILED (-3) add nothing
        }
      } else if (counts instanceof long[]) {
        for (long c : (long[]) counts) {
          sum += Math.max(0, c);
        }
      }
      s.elapsedMs = elapsedMs(s.startNanos);
      record(s, sum);
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-after-batch", e);
    }
  }

  /** The execution threw {@code error} (rethrown unchanged by the caller): its step, then the transaction's error. */
  public static void executeFailed(StatementState s, Throwable error) {
    try {
      if (error instanceof java.sql.BatchUpdateException || s.batchSql != null) {
        clearBatch(s);
      }
      Transaction tx = s.tx;
      if (tx == null) {
        return;
      }
      s.elapsedMs = elapsedMs(s.startNanos);
      record(s, 0);
      recordError(tx, error);
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-execute-failed", e);
    }
  }

  /** ResultSet.next() of execution {@code execution} returned {@code more}. */
  public static void nextRow(StatementState s, int execution, boolean more) {
    if (!s.pending || s.execution != execution) {
      return;
    }
    if (more) {
      s.rows++;
    } else {
      finish(s);
    }
  }

  /** A ResultSet of execution {@code execution} is closing. */
  public static void resultSetClosing(StatementState s, int execution) {
    if (s.pending && s.execution == execution) {
      finish(s);
    }
  }

  /** The statement is closing or moving to its next result: the current ResultSet is done. */
  public static void resultsDone(StatementState s) {
    if (s.pending) {
      finish(s);
    }
  }

  /** addBatch on a plain Statement ({@code sql} non-null) or a prepared one (null). */
  public static void addBatch(StatementState s, String sql) {
    try {
      s.batchSize++;
      if (sql == null || s.preparedSql != null) {
        return;
      }
      if (s.batchSql == null) {
        s.batchSql = new StringBuilder(sql.length() + 16);
      } else if (s.batchSql.length() < 32 * 1024) {
        s.batchSql.append(";\n");
      } else {
        return; // the wire cuts SQL at 32 KiB anyway
      }
      s.batchSql.append(sql);
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-add-batch", e);
    }
  }

  public static void clearBatch(StatementState s) {
    s.batchSql = null;
    s.batchSize = 0;
  }

  public static void clearParameters(StatementState s) {
    if (s.binds != null) {
      s.binds.clear();
    }
  }

  /** A bind value set by index (called only when {@code s.binds != null}). */
  public static void bind(StatementState s, int index, Object value) {
    try {
      s.binds.set(index, value, config().profileSqlParamMax);
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-bind", e);
    }
  }

  /** A bind value set by name on a CallableStatement (called only when {@code s.binds != null}). */
  public static void bind(StatementState s, String name, Object value) {
    try {
      s.binds.set(name, value, config().profileSqlParamMax);
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-bind", e);
    }
  }

  /** Whether statements made now keep their bind values (profile_sql_params). */
  static boolean captureParams() {
    try {
      Config c = config();
      return c.traceJdbc && c.profileSqlParams;
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-config", e);
      return false;
    }
  }

  // ---------------------------------------------------------------- inside

  private static void finish(StatementState s) {
    try {
      s.pending = false; // first: whatever happens below, this execution is never recorded twice
      s.connection.unlink(s);
      if (s.tx != null) {
        record(s, s.rows);
      }
    } catch (RuntimeException | LinkageError e) {
      fault("jdbc-finish", e);
    }
  }

  private static void record(StatementState s, long fetch) {
    Transaction tx = s.tx;
    s.tx = null;
    Config c = config();
    String sql = s.executedSql;
    if (s.plain && !c.profileSqlLiterals) {
      sql = SqlLiterals.mask(sql);
    }
    int rows = (int) Math.min(Integer.MAX_VALUE, fetch);
    tx.sql(s.connection.dbc, sql, s.startMillis, s.elapsedMs, rows);
    if (c.profileSqlFetchMessage && rows > 0) {
      tx.message("Fetch count", Integer.toString(rows), "");
    }
    if (s.binds != null && c.profileSqlParams && !s.binds.isEmpty()) {
      tx.message("SQL-PARAMS", "SQL-PARAMS", s.binds.describe());
    }
  }

  private static void recordError(Transaction tx, Throwable error) {
    String message = error.getMessage();
    if (error instanceof SQLException) {
      String state = ((SQLException) error).getSQLState();
      if (state != null) {
        message = "[SQLState " + state + "] " + (message == null ? "" : message);
      }
    }
    tx.error(error.getClass().getName(), message == null ? "" : message);
  }

  private static boolean enabled() {
    return config().traceJdbc;
  }

  private static Config config() {
    return AgentConfig.current();
  }

  private static int elapsedMs(long startNanos) {
    return (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - startNanos) / 1_000_000);
  }

  private static void fault(String key, Throwable e) {
    try {
      AgentLogs.failure(key, "JDBC tracing failed in " + key + "; the statement ran untraced", e);
    } catch (RuntimeException | LinkageError ignored) {
      // the log itself failed: nothing more can be done without risking the application
    }
  }
}
