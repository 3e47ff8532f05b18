package io.whatap.bench;

import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.jdbc.WhatapJdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What whatap-jdbc adds to one statement: prepare, bind, execute and read 10 rows from an in-memory
 * H2 table, on a connection held open (as a pool would), inside a transaction. {@code plain} runs it
 * on H2's own connection, {@code traced} on the same connection wrapped by
 * {@code WhatapJdbc.wrap}, in the same run; both run {@value #STATEMENTS} statements per transaction
 * (one op = one statement; the transaction's own cost is shared by both), so the difference is the
 * JDBC tracing, the TX_SQL step included. The agent sends every transaction to a UDP sink on
 * loopback.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JdbcBenchmark {
  static final int STATEMENTS = 100;
  static final String SQL = "select id, name from items where id > ? order by id limit 10";

  @State(Scope.Benchmark)
  public static class Db {
    LoopbackSink sink;
    Connection plain;
    Connection traced;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      sink = new LoopbackSink(8 * 1024 * 1024);
      Whatap.configure(Map.of("net_udp_host", "127.0.0.1", "net_udp_port", String.valueOf(sink.port()),
          "banner_enabled", "false", "counter_interval_ms", "600000"));
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
      ds.setUser("sa");
      plain = ds.getConnection();
      try (Statement s = plain.createStatement()) {
        s.execute("create table items (id int primary key, name varchar(32))");
        s.execute("insert into items select x, 'item-' || x from system_range(1, 100)");
      }
      traced = WhatapJdbc.wrap(ds).getConnection();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      traced.close();
      plain.close();
      sink.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(STATEMENTS)
  public long plain(Db db) throws SQLException {
    return statementsInTransaction(db.plain);
  }

  @Benchmark
  @OperationsPerInvocation(STATEMENTS)
  public long traced(Db db) throws SQLException {
    return statementsInTransaction(db.traced);
  }

  /**
   * The plain statements plus the step recorded by hand, as the manual API does it
   * ({@code tx.sql(...)} with the row count): what the core and its sender cost per TX_SQL step,
   * so that {@code traced - manual} is what the wrappers themselves add.
   */
  @Benchmark
  @OperationsPerInvocation(STATEMENTS)
  public long manual(Db db) throws SQLException {
    Transaction tx = Whatap.startTransaction("/bench/jdbc");
    try {
      long sum = 0;
      for (int i = 0; i < STATEMENTS; i++) {
        long start = System.currentTimeMillis();
        long startNanos = System.nanoTime();
        int rows = 0;
        try (PreparedStatement p = db.plain.prepareStatement(SQL)) {
          p.setInt(1, 40 + (i & 7));
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              sum += rs.getInt(1);
              rows++;
            }
          }
        }
        tx.sql("jdbc:h2:mem:bench", SQL, start, (int) ((System.nanoTime() - startNanos) / 1_000_000), rows);
      }
      return sum;
    } finally {
      tx.end();
    }
  }

  static long statementsInTransaction(Connection c) throws SQLException {
    Transaction tx = Whatap.startTransaction("/bench/jdbc");
    try {
      long sum = 0;
      for (int i = 0; i < STATEMENTS; i++) {
        try (PreparedStatement p = c.prepareStatement(SQL)) {
          p.setInt(1, 40 + (i & 7));
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              sum += rs.getInt(1);
            }
          }
        }
      }
      return sum;
    } finally {
      tx.end();
    }
  }
}
