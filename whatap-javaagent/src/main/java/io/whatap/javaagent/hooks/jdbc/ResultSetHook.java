package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.jdbc.internal.JdbcRecorder;

/**
 * {@code ResultSet.next()} and {@code close()} of a ResultSet a recorded query returned (the advice
 * calls in only when the ResultSet carries a {@link ResultSetLink}: others cost one field read per
 * row): rows read count into the step, which is recorded at the last row or the close.
 */
final class ResultSetHook implements Hook {
  static final ResultSetHook INSTANCE = new ResultSetHook();

  @Override
  public Object enter(Object resultSet, Object link, Object method) {
    if (!(link instanceof ResultSetLink)) {
      return null;
    }
    ResultSetLink l = (ResultSetLink) link;
    if ("close".equals(method)) {
      JdbcRecorder.resultSetClosing(l.statement, l.execution);
      return null;
    }
    return l;
  }

  @Override
  public void exit(Object link, Object returned, Throwable thrown) {
    if (thrown == null) {
      ResultSetLink l = (ResultSetLink) link;
      JdbcRecorder.nextRow(l.statement, l.execution, Boolean.TRUE.equals(returned));
    }
  }
}
