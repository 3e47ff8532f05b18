package io.whatap.jdbc;

import io.whatap.jdbc.internal.JdbcRecorder;
import io.whatap.jdbc.internal.TracedConnection;
import io.whatap.jdbc.internal.TracedDataSource;
import io.whatap.jdbc.internal.TracedDriver;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * JDBC tracing in library mode: wrap the DataSource (or the Connection, or the Driver) once, and
 * every connection, statement and result set obtained through it records TX_DB_CONN and TX_SQL
 * steps on the current transaction. Wrapping a traced object again returns it unchanged;
 * {@code unwrap}/{@code isWrapperFor} still reach the driver's own classes.
 */
public final class WhatapJdbc {
  private WhatapJdbc() { }

  /** A traced DataSource over {@code dataSource} (a pool or a driver's DataSource). */
  public static DataSource wrap(DataSource dataSource) {
    if (dataSource == null || dataSource instanceof TracedDataSource) {
      return dataSource;
    }
    return new TracedDataSource(dataSource);
  }

  /** A traced Connection over {@code connection} (its steps name the URL its metadata reports). */
  public static Connection wrap(Connection connection) {
    if (connection == null || connection instanceof TracedConnection) {
      return connection;
    }
    return new TracedConnection(connection,
        new io.whatap.jdbc.internal.ConnectionState(connectionUrl(connection)));
  }

  /**
   * A traced Driver over {@code driver}: {@code connect} records TX_DB_CONN. Register it with
   * {@code DriverManager.registerDriver} after deregistering the driver itself, or call its
   * {@code connect} directly.
   */
  public static Driver wrap(Driver driver) {
    if (driver == null || driver instanceof TracedDriver) {
      return driver;
    }
    return new TracedDriver(driver);
  }

  /**
   * {@code DriverManager.getConnection(url, user, password)}, traced: records TX_DB_CONN with the
   * time it took and returns a traced connection.
   */
  public static Connection getConnection(String url, String user, String password) throws SQLException {
    Properties info = new Properties();
    if (user != null) {
      info.setProperty("user", user);
    }
    if (password != null) {
      info.setProperty("password", password);
    }
    return getConnection(url, info);
  }

  /** {@code DriverManager.getConnection(url, info)}, traced. */
  public static Connection getConnection(String url, Properties info) throws SQLException {
    long startMillis = System.currentTimeMillis();
    long startNanos = System.nanoTime();
    String dbc = JdbcRecorder.dbc(url);
    Connection c;
    try {
      c = DriverManager.getConnection(url, info);
    } catch (Throwable e) {
      JdbcRecorder.connectFailed(dbc, startMillis, startNanos, e);
      throw e;
    }
    JdbcRecorder.connected(dbc, startMillis, startNanos);
    return new TracedConnection(c, new io.whatap.jdbc.internal.ConnectionState(dbc));
  }

  private static String connectionUrl(Connection c) {
    try {
      return JdbcRecorder.dbc(c.getMetaData().getURL());
    } catch (Exception | LinkageError e) {
      return "jdbc:(" + c.getClass().getName() + ")";
    }
  }
}
