package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.StateHolder;
import io.whatap.jdbc.internal.JdbcRecorder;
import io.whatap.jdbc.internal.StatementState;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate},
 * {@code executeBatch}, {@code executeLargeBatch}, {@code addBatch} and {@code clearBatch} of any
 * Statement, PreparedStatement and CallableStatement: the outermost such call of the thread goes to
 * whatap-jdbc's {@link JdbcRecorder} with the statement's {@link StatementState}, exactly as library
 * mode's wrapper does; the calls it makes inside (the driver's statement under a pool's proxy, a
 * driver's own delegation) are counted in the thread's {@link CallDepth} and record nothing. A
 * statement that cannot carry state is passed through, so the one below it records. The scope is the
 * state (or {@link #NESTED}): an execution allocates nothing here beyond what the recorder does,
 * except a query's {@link ResultSetLink}. The exception the statement threw is the recorder's to
 * record; the advice lets the original throw go on unchanged.
 */
final class ExecuteHook implements Hook {
  static final ExecuteHook INSTANCE = new ExecuteHook();
  static final Object NESTED = new Object();

  @Override
  public Object enter(Object statement, Object sql, Object method) {
    CallDepth d = CallDepth.current();
    if (d.depth > 0) {
      d.depth++;
      return NESTED;
    }
    StatementState s;
    try {
      s = JdbcStates.statement(statement);
    } catch (java.sql.SQLException closed) {
      return null; // getConnection of a closed statement: the call will say so itself
    }
    if (s == null) {
      return null;
    }
    String sqlText = sql instanceof String ? (String) sql : null;
    switch ((String) method) {
      case "addBatch":
        JdbcRecorder.addBatch(s, sqlText);
        break;
      case "clearBatch":
        JdbcRecorder.clearBatch(s);
        break;
      case "executeBatch":
      case "executeLargeBatch":
        JdbcRecorder.beforeExecute(s, null);
        break;
      default:
        JdbcRecorder.beforeExecute(s, sqlText);
    }
    d.statement = statement;
    d.method = (String) method;
    d.depth++; // last: a throw above leaves the depth as it was (exit is not called without a scope)
    return s;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    CallDepth d = CallDepth.current();
    d.depth--;
    if (scope == NESTED) {
      return;
    }
    StatementState s = (StatementState) scope;
    Object statement = d.statement;
    String method = d.method;
    d.statement = null;
    d.method = null;
    if ("addBatch".equals(method) || "clearBatch".equals(method)) {
      return;
    }
    if (thrown != null) {
      JdbcRecorder.executeFailed(s, thrown);
      return;
    }
    switch (method) {
      case "executeQuery":
        JdbcRecorder.afterQuery(s);
        link(returned, s);
        break;
      case "executeUpdate":
      case "executeLargeUpdate":
        JdbcRecorder.afterUpdate(s, returned instanceof Number ? ((Number) returned).longValue() : 0);
        break;
      case "executeBatch":
      case "executeLargeBatch":
        JdbcRecorder.afterBatch(s, returned);
        break;
      default: // execute: a query's ResultSet is linked when the application asks for it (getResultSet)
        JdbcRecorder.afterExecute(s, Boolean.TRUE.equals(returned), (Statement) statement);
    }
  }

  private static void link(Object resultSet, StatementState s) {
    if (s.isPending() && resultSet instanceof ResultSet && resultSet instanceof StateHolder) {
      ((StateHolder) resultSet).whatap$state(new ResultSetLink(s, s.execution()));
    }
  }
}
