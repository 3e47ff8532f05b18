package io.whatap.demo;

import io.whatap.jdbc.WhatapJdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The demo app's database: an embedded H2 database in memory, one per app JVM, with a small shop
 * schema and its seed data created at start, behind H2's connection pool and
 * {@link WhatapJdbc#wrap(DataSource)}. Everything the routes run through {@link #dataSource()} is
 * recorded by whatap-jdbc: no step is recorded by hand.
 *
 * <ul>
 *   <li>{@code products}: ids 1000–1049 (what /inventory/{id} and /checkout look up), in
 *       {@link #CATEGORIES} categories</li>
 *   <li>{@code orders}: ids 1–500 seeded, /checkout inserts more</li>
 *   <li>{@code order_lines}: order {@code n} has {@code n % 5 + 1} lines</li>
 *   <li>{@code accounts}: ids 1–10, a balance that a CHECK keeps from going negative (/fail breaks it)</li>
 * </ul>
 */
public final class DemoDatabase implements AutoCloseable {
  /** The product categories of the seed data: the rows the report query (/slow) returns. */
  public static final int CATEGORIES = 3;
  /** The password of the demo's database user: must never appear in what the apps report. */
  static final String PASSWORD = "demo-secret-pw";

  private final JdbcConnectionPool pool;
  private final DataSource traced;

  private DemoDatabase(JdbcConnectionPool pool) {
    this.pool = pool;
    this.traced = WhatapJdbc.wrap(pool);
  }

  /** Creates the in-memory database {@code jdbc:h2:mem:<appName>}, its schema and its seed data. */
  public static DemoDatabase create(String appName) throws SQLException {
    // DB_CLOSE_DELAY=-1: the database lives as long as the JVM, not as long as one connection
    JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:mem:" + appName + ";DB_CLOSE_DELAY=-1", "demo",
        PASSWORD);
    pool.setMaxConnections(32);
    // seeded through the plain pool: outside any transaction, nothing would be recorded anyway
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, category VARCHAR(20) NOT NULL,"
          + " price DECIMAL(10,2) NOT NULL, stock INT NOT NULL)");
      s.execute("INSERT INTO products SELECT X, 'Product ' || X,"
          + " CASE MOD(X, " + CATEGORIES + ") WHEN 0 THEN 'books' WHEN 1 THEN 'games' ELSE 'tools' END,"
          + " 5 + MOD(X * 7, 90), MOD(X * 13, 200) FROM SYSTEM_RANGE(1000, 1049)");
      s.execute("CREATE TABLE orders (id BIGINT AUTO_INCREMENT PRIMARY KEY, customer_id INT NOT NULL,"
          + " total DECIMAL(10,2) NOT NULL)");
      s.execute("INSERT INTO orders (id, customer_id, total) SELECT X, MOD(X, 97), 10 + MOD(X * 31, 400)"
          + " FROM SYSTEM_RANGE(1, 500)");
      s.execute("ALTER TABLE orders ALTER COLUMN id RESTART WITH 501");
      s.execute("CREATE TABLE order_lines (order_id BIGINT NOT NULL, line_no INT NOT NULL, product_id INT NOT NULL,"
          + " qty INT NOT NULL, PRIMARY KEY (order_id, line_no))");
      s.execute("INSERT INTO order_lines SELECT o.X, l.X, 1000 + MOD(o.X * 7 + l.X, 50), 1 + MOD(o.X + l.X, 4)"
          + " FROM SYSTEM_RANGE(1, 500) o JOIN SYSTEM_RANGE(1, 5) l ON l.X <= MOD(o.X, 5) + 1");
      s.execute("CREATE TABLE accounts (id INT PRIMARY KEY, balance DECIMAL(10,2) NOT NULL,"
          + " CONSTRAINT balance_not_negative CHECK (balance >= 0))");
      s.execute("INSERT INTO accounts SELECT X, 100 FROM SYSTEM_RANGE(1, 10)");
    }
    return new DemoDatabase(pool);
  }

  /** The traced DataSource the routes use (whatap-jdbc over H2's pool). */
  public DataSource dataSource() {
    return traced;
  }

  @Override
  public void close() {
    pool.dispose();
  }
}
