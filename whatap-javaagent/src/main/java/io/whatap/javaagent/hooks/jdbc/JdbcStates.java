package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.StateHolder;
import io.whatap.jdbc.internal.ConnectionState;
import io.whatap.jdbc.internal.JdbcRecorder;
import io.whatap.jdbc.internal.StatementState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * whatap-jdbc's recording state kept on the driver's (or pool's) own objects, in the field the agent
 * adds ({@link StateHolder}): a {@link ConnectionState} on a connection, a {@link StatementState} on a
 * statement, a {@link ResultSetLink} on a result set, the URL without credentials on a DataSource and
 * the last URL on a Driver. The state lives and dies with its object: nothing to leak.
 */
final class JdbcStates {
  private JdbcStates() { }

  /** The connection's state, made from its metadata's URL the first time one is needed when no hook saw it made. */
  static ConnectionState connection(Object connection) {
    if (!(connection instanceof StateHolder)) {
      return connection instanceof Connection ? new ConnectionState(urlOf((Connection) connection)) : null;
    }
    StateHolder holder = (StateHolder) connection;
    Object state = holder.whatap$state();
    if (state instanceof ConnectionState) {
      return (ConnectionState) state;
    }
    ConnectionState made = new ConnectionState(urlOf((Connection) connection));
    holder.whatap$state(made);
    return made;
  }

  /** Gives {@code connection} a state naming {@code dbc} unless it has one; returns its state. */
  static ConnectionState attach(Object connection, String dbc) {
    if (!(connection instanceof StateHolder)) {
      return new ConnectionState(dbc);
    }
    StateHolder holder = (StateHolder) connection;
    Object state = holder.whatap$state();
    if (state instanceof ConnectionState) {
      return (ConnectionState) state;
    }
    ConnectionState made = new ConnectionState(dbc);
    holder.whatap$state(made);
    return made;
  }

  /**
   * The statement's state; a plain statement made where no hook saw it gets one at its first
   * execution. Null for an object that cannot carry one, and for a prepared statement made before
   * the agent saw it (its SQL is unknown).
   */
  static StatementState statement(Object statement) throws SQLException {
    if (!(statement instanceof StateHolder)) {
      return null;
    }
    StateHolder holder = (StateHolder) statement;
    Object state = holder.whatap$state();
    if (state instanceof StatementState) {
      return (StatementState) state;
    }
    if (statement instanceof PreparedStatement) {
      return null;
    }
    StatementState made = new StatementState(connection(((Statement) statement).getConnection()), null);
    holder.whatap$state(made);
    return made;
  }

  /** The state already on {@code statement}, or null; never makes one. */
  static StatementState existing(Object statement) {
    if (statement instanceof StateHolder) {
      Object state = ((StateHolder) statement).whatap$state();
      return state instanceof StatementState ? (StatementState) state : null;
    }
    return null;
  }

  static String urlOf(Connection c) {
    try {
      return JdbcRecorder.dbc(c.getMetaData().getURL());
    } catch (Exception | LinkageError e) {
      return "jdbc:(" + c.getClass().getName() + ")";
    }
  }
}
