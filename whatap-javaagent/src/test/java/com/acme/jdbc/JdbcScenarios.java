package com.acme.jdbc;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The scenarios of whatap-jdbc's {@code JdbcStepsScenarios}, as plain application code: under
 * {@code -Dwhatap.hook_method_patterns=com.acme.jdbc.JdbcScenarios.*} each method is a transaction
 * named {@code com.acme.jdbc.JdbcScenarios.<method>}. What the application itself saw (a row count,
 * the exception) is printed for the test to compare with the packs.
 */
public final class JdbcScenarios {
  private final DataSource ds;

  public JdbcScenarios(DataSource ds) {
    this.ds = ds;
  }

  public void connect() throws SQLException {
    ds.getConnection().close();
  }

  public void plainQuery() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id, name from items where name <> 'nobody' and id > 3 order by id")) {
      while (rs.next()) {
        rs.getString(2);
      }
    }
  }

  public void readPartlyAndClosed() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p = c.prepareStatement("select id from items where id <= ? order by id")) {
      p.setInt(1, 10);
      ResultSet rs = p.executeQuery();
      for (int i = 0; i < 3; i++) {
        rs.next();
      }
      rs.close();
    }
  }

  public void leftOpenUntilConnectionClose() throws SQLException {
    Connection c = ds.getConnection();
    Statement s = c.createStatement();
    ResultSet rs = s.executeQuery("select id from items order by id");
    rs.next();
    rs.next();
    c.close();
  }

  public void executedAgain() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p = c.prepareStatement("select id from items where id <= ?")) {
      p.setInt(1, 5);
      ResultSet first = p.executeQuery();
      first.next();
      p.setInt(1, 2);
      try (ResultSet second = p.executeQuery()) {
        while (second.next()) {
          second.getInt(1);
        }
      }
      first.close(); // closed after the re-execution: must not count into the second step
    }
  }

  public void update() throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement p = c.prepareStatement("update items set name = name where id <= ?")) {
      p.setInt(1, 4);
      System.out.println("update-count " + p.executeUpdate());
    }
  }

  public void executeUpdateThenQuery() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("update items set name = name where id in (1, 2)");
      s.execute("select id from items where id in (1, 2, 3)");
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          rs.getInt(1);
        }
      }
    }
  }

  public void batches() throws SQLException {
    try (Connection c = ds.getConnection()) {
      try (PreparedStatement p = c.prepareStatement("insert into items (id, name) values (?, ?)")) {
        for (int i = 100; i < 103; i++) {
          p.setInt(1, i);
          p.setString(2, "batch-" + i);
          p.addBatch();
        }
        p.executeBatch();
      }
      try (Statement s = c.createStatement()) {
        s.addBatch("delete from items where id = 100");
        s.addBatch("delete from items where id >= 101 and id < 200");
        s.executeBatch();
      }
    }
  }

  public void callable() throws SQLException {
    try (Connection c = ds.getConnection(); CallableStatement call = c.prepareCall("select upper(?)")) {
      call.setString(1, "abc");
      try (ResultSet rs = call.executeQuery()) {
        rs.next();
        System.out.println("callable-result " + rs.getString(1));
      }
    }
  }

  public void failing() throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeQuery("select * from no_such_table where id = 42");
    } catch (SQLException e) {
      System.out.println("failing-caught " + e.getClass().getName() + " " + e.getSQLState());
    }
  }
}
