package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.StateHolder;
import io.whatap.jdbc.internal.ConnectionState;
import io.whatap.jdbc.internal.JdbcRecorder;
import java.sql.Connection;
import java.sql.Driver;

/**
 * {@code Driver.connect(url, info)} and {@code DataSource.getConnection(...)}: every level gives the
 * connection it returns its state (the URL without credentials); the outermost level of the thread
 * records TX_DB_CONN with the time it took, or the step and the transaction's error when it threw.
 * The scope is the driver or DataSource itself; the start time is on the thread's {@link CallDepth}
 * (only the outermost call records), so a connect allocates nothing here beyond the new connection's
 * state. A Driver keeps its last URL and that URL's credential-free form; a DataSource the form of
 * its first connection's URL.
 */
final class ConnectHook implements Hook {
  static final ConnectHook INSTANCE = new ConnectHook();

  @Override
  public Object enter(Object source, Object url, Object unused) {
    if (source instanceof Driver && source instanceof StateHolder) {
      rememberDriverUrl((StateHolder) source, url instanceof String ? (String) url : null);
    }
    CallDepth d = CallDepth.current();
    if (d.depth == 0) {
      d.connectStartMillis = System.currentTimeMillis();
      d.connectStartNanos = System.nanoTime();
    }
    d.depth++; // last: a throw above leaves the depth as it was (exit is not called without a scope)
    return source;
  }

  @Override
  public void exit(Object source, Object returned, Throwable thrown) {
    CallDepth d = CallDepth.current();
    boolean outermost = --d.depth == 0;
    if (thrown != null) {
      if (outermost) {
        JdbcRecorder.connectFailed(dbcOrClass(source), d.connectStartMillis, d.connectStartNanos, thrown);
      }
      return;
    }
    if (!(returned instanceof Connection)) {
      return; // a Driver given another driver's URL: DriverManager asks the next one
    }
    ConnectionState state = JdbcStates.attach(returned, dbcFor(source, (Connection) returned));
    if (outermost) {
      JdbcRecorder.connected(state.dbc, d.connectStartMillis, d.connectStartNanos);
    }
  }

  private static void rememberDriverUrl(StateHolder driver, String url) {
    Object known = driver.whatap$state();
    if (known instanceof String[] && url != null && url.equals(((String[]) known)[0])) {
      return;
    }
    driver.whatap$state(new String[] {url, JdbcRecorder.dbc(url)});
  }

  private static String dbcFor(Object source, Connection connection) {
    String known = knownDbc(source);
    if (known != null) {
      return known;
    }
    String dbc = connection instanceof StateHolder && ((StateHolder) connection).whatap$state() instanceof ConnectionState
        ? ((ConnectionState) ((StateHolder) connection).whatap$state()).dbc // a Driver inside said it
        : JdbcStates.urlOf(connection);
    if (source instanceof StateHolder) {
      ((StateHolder) source).whatap$state(dbc); // a DataSource has one database: asked once
    }
    return dbc;
  }

  /** The source's URL without credentials as far as known, else null (a failure names the class). */
  private static String knownDbc(Object source) {
    Object known = source instanceof StateHolder ? ((StateHolder) source).whatap$state() : null;
    if (known instanceof String[]) {
      return ((String[]) known)[1];
    }
    if (known instanceof String) {
      return (String) known;
    }
    return null;
  }

  static String dbcOrClass(Object source) {
    String known = knownDbc(source);
    return known != null ? known : "jdbc:(" + source.getClass().getName() + ")";
  }
}
