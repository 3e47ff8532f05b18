package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.StateHolder;
import io.whatap.jdbc.internal.StatementState;

/**
 * Statements as a connection makes them ({@code prepareStatement}, {@code prepareCall},
 * {@code createStatement}): the state is made at entry, where the connection and the SQL are known,
 * and given to the returned statement unless it has one (a statement cache handing out the same
 * object for the same SQL; a driver's overload calling another). Every level keeps its own, so a
 * pool's proxy statement and the driver's statement each know their SQL; only the outermost
 * execution records. And {@code Statement.getResultSet}: the ResultSet of a query run by
 * {@code execute} is linked to its step.
 */
final class StatementHook implements Hook {
  static final StatementHook INSTANCE = new StatementHook();
  static final String GET_RESULT_SET = "getResultSet";

  @Override
  public Object enter(Object self, Object sql, Object method) {
    if (GET_RESULT_SET.equals(method)) {
      StatementState s = JdbcStates.existing(self);
      return s != null && s.isPending() ? s : null;
    }
    return new StatementState(JdbcStates.connection(self), sql instanceof String ? (String) sql : null);
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    if (!(returned instanceof StateHolder)) {
      return;
    }
    StateHolder holder = (StateHolder) returned;
    StatementState s = (StatementState) scope;
    Object current = holder.whatap$state();
    if (returned instanceof java.sql.ResultSet) {
      if (!(current instanceof ResultSetLink) || ((ResultSetLink) current).statement != s
          || ((ResultSetLink) current).execution != s.execution()) {
        holder.whatap$state(new ResultSetLink(s, s.execution()));
      }
    } else if (!(current instanceof StatementState)) {
      holder.whatap$state(s);
    }
  }
}
