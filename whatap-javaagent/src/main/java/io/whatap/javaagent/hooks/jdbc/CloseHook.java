package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.StateHolder;
import io.whatap.jdbc.internal.ConnectionState;
import io.whatap.jdbc.internal.JdbcRecorder;
import io.whatap.jdbc.internal.StatementState;

/**
 * {@code Statement.close()}, {@code Statement.getMoreResults(...)} and {@code Connection.close()}: a
 * query still waiting for its row count is recorded with the rows read so far (before the driver
 * closes anything). Idempotent, so no depth is needed: an inner object's state has nothing pending.
 */
final class CloseHook implements Hook {
  static final CloseHook INSTANCE = new CloseHook();

  @Override
  public Object enter(Object self, Object unused, Object unused2) {
    Object state = self instanceof StateHolder ? ((StateHolder) self).whatap$state() : null;
    if (state instanceof StatementState) {
      JdbcRecorder.resultsDone((StatementState) state);
    } else if (state instanceof ConnectionState) {
      JdbcRecorder.connectionClosing((ConnectionState) state);
    }
    return null;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // nothing: all was done before the original code ran
  }
}
