package io.whatap.jdbc.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A traced DataSource: each connection it hands out records TX_DB_CONN and is a {@link TracedConnection}. */
public final class TracedDataSource implements DataSource {
  public final DataSource delegate;
  /** The first connection's URL without credentials: a DataSource has one database. */
  private volatile ConnectionState shared;

  public TracedDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  @Override
  public Connection getConnection() throws SQLException {
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Connection c;
    try {
      c = delegate.getConnection();
    } catch (Throwable e) {
      JdbcRecorder.connectFailed(knownDbc(), startMillis, startNanos, e);
      throw e;
    }
    return traced(c, startMillis, startNanos);
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Connection c;
    try {
      c = delegate.getConnection(username, password);
    } catch (Throwable e) {
      JdbcRecorder.connectFailed(knownDbc(), startMillis, startNanos, e);
      throw e;
    }
    return traced(c, startMillis, startNanos);
  }

  private Connection traced(Connection c, long startMillis, long startNanos) {
    if (c == null) {
      return null;
    }
    ConnectionState state = shared;
    if (state == null) {
      state = new ConnectionState(dbcOf(c));
      shared = state;
    }
    JdbcRecorder.connected(state.dbc, startMillis, startNanos);
    // one ConnectionState per connection: its pending list belongs to that connection alone
    return new TracedConnection(c, new ConnectionState(state.dbc));
  }

  private static String dbcOf(Connection c) {
    try {
      return JdbcRecorder.dbc(c.getMetaData().getURL());
    } catch (Exception | LinkageError e) {
      return "jdbc:(" + c.getClass().getName() + ")";
    }
  }

  private String knownDbc() {
    ConnectionState s = shared;
    return s == null ? "jdbc:(" + delegate.getClass().getName() + ")" : s.dbc;
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || iface.isInstance(delegate) || delegate.isWrapperFor(iface);
  }
}
