package com.acme.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A plain JDBC application (no WhaTap code): makes its DataSource the way named by its first
 * argument, creates a small table and runs {@link JdbcScenarios}, each scenario a method the
 * javaagent's {@code hook_method_patterns} turns into a transaction of its own.
 * Arguments: {@code h2|postgresql|hikari url user password [wrapped]}.
 */
public final class JdbcApp {
  private JdbcApp() { }

  public static void main(String[] args) throws Exception {
    String way = args[0];
    String url = args[1];
    String user = args[2];
    String password = args[3];
    DataSource ds;
    HikariDataSource pool = null;
    if (way.equals("h2")) {
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL(url);
      h2.setUser(user);
      h2.setPassword(password);
      ds = h2;
    } else if (way.equals("postgresql")) {
      PGSimpleDataSource pg = new PGSimpleDataSource();
      pg.setURL(url); // the credentials are in the URL
      ds = pg;
    } else {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      if (!user.isEmpty()) {
        config.setUsername(user);
        config.setPassword(password);
      }
      config.setMaximumPoolSize(2);
      pool = new HikariDataSource(config);
      ds = pool;
    }
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("drop table if exists items"); // PostgreSQL: one server for every run of the test class
      s.execute("create table items (id int primary key, name varchar(64) not null)");
      try (PreparedStatement p = c.prepareStatement("insert into items (id, name) values (?, ?)")) {
        for (int i = 1; i <= 10; i++) {
          p.setInt(1, i);
          p.setString(2, "item-" + i);
          p.executeUpdate();
        }
      }
    }
    JdbcScenarios scenarios = new JdbcScenarios(ds);
    scenarios.connect();
    scenarios.plainQuery();
    scenarios.readPartlyAndClosed();
    scenarios.leftOpenUntilConnectionClose();
    scenarios.executedAgain();
    scenarios.update();
    scenarios.executeUpdateThenQuery();
    scenarios.batches();
    scenarios.callable();
    scenarios.failing();
    if (args.length > 4 && args[4].equals("wrapped")) {
      WrappedScenario.run(ds);
    }
    if (pool != null) {
      pool.close();
    }
    System.out.println("jdbc-app done");
    System.exit(0); // the agent's threads are daemons; exit at once even so
  }
}
