package io.whatap.jdbc.internal;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;

/** A traced Driver: connect records TX_DB_CONN and returns a {@link TracedConnection}. */
public final class TracedDriver implements Driver {
  public final Driver delegate;
  /** The last URL seen and its form without credentials: most applications use one URL. */
  private volatile String[] lastUrl = {null, null};

  public TracedDriver(Driver delegate) {
    this.delegate = delegate;
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    Connection c;
    try {
      c = delegate.connect(url, info);
    } catch (Throwable e) {
      JdbcRecorder.connectFailed(dbc(url), startMillis, startNanos, e);
      throw e;
    }
    if (c == null) {
      return null; // not this driver's URL: DriverManager asks the next one
    }
    String dbc = dbc(url);
    JdbcRecorder.connected(dbc, startMillis, startNanos);
    return new TracedConnection(c, new ConnectionState(dbc));
  }

  private String dbc(String url) {
    String[] last = lastUrl;
    if (url != null && url.equals(last[0])) {
      return last[1];
    }
    String dbc = JdbcRecorder.dbc(url);
    lastUrl = new String[] {url, dbc};
    return dbc;
  }

  @Override
  public boolean acceptsURL(String url) throws SQLException {
    return delegate.acceptsURL(url);
  }

  @Override
  public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
    return delegate.getPropertyInfo(url, info);
  }

  @Override
  public int getMajorVersion() {
    return delegate.getMajorVersion();
  }

  @Override
  public int getMinorVersion() {
    return delegate.getMinorVersion();
  }

  @Override
  public boolean jdbcCompliant() {
    return delegate.jdbcCompliant();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }
}
