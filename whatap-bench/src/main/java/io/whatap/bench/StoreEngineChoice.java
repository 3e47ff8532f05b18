package io.whatap.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The measurement behind the local agent's choice of embedded database (whatap-agent/RATIONALE.md,
 * Storage): the store's workload on H2, SQLite and DuckDB through plain JDBC, in one JVM, in turn.
 * Per 5 s interval the agent commits one batch: a row per application and transaction name (counts
 * and a histogram blob) and the transactions it keeps, with their steps as a blob. Then the
 * dashboard's range queries: per-name totals over an hour, one name's histograms over an hour, the
 * slowest transactions of a range. An engine whose driver is not on the class path is skipped
 * (DuckDB is an 80 MB jar: {@code -Pstore-engines} adds it).
 *
 * <p>Run: {@code java -cp whatap-bench/target/benchmarks.jar io.whatap.bench.StoreEngineChoice [intervals]}
 */
public final class StoreEngineChoice {
  static final int APPS = 2;
  static final int NAMES = 50;
  static final int TX_PER_INTERVAL = 100;
  static final int HIST_BYTES = 140;
  /** A transaction's steps as the store keeps them: deflated (random bytes: they do not compress again). */
  static final int STEPS_BYTES = 700;
  static final long INTERVAL_MS = 5000;

  record Engine(String name, String url, String blobType, String setup) {
  }

  public static void main(String[] args) throws Exception {
    int intervals = args.length > 0 ? Integer.parseInt(args[0]) : 1440;
    Path dir = Files.createTempDirectory("store-engines");
    List<Engine> engines = List.of(
        new Engine("H2 (MVStore)", "jdbc:h2:file:" + dir.resolve("h2/db") + ";QUERY_CACHE_SIZE=0", "VARBINARY", ""),
        new Engine("SQLite (WAL)", "jdbc:sqlite:" + dir.resolve("sqlite.db"), "BLOB",
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL"),
        new Engine("DuckDB", "jdbc:duckdb:" + dir.resolve("duck.db"), "BLOB", ""));
    System.out.printf("workload: %d intervals of 5 s; per interval %d name rows (%d B histogram) and %d transactions"
        + " (%d B steps) in one commit%n", intervals, APPS * NAMES, HIST_BYTES, TX_PER_INTERVAL, STEPS_BYTES);
    for (Engine e : engines) {
      try {
        run(e, intervals, dir);
      } catch (SQLException ex) {
        System.out.printf("%-14s skipped: %s%n", e.name, ex.getMessage());
      }
    }
    deleteTree(dir);
  }

  private static void run(Engine e, int intervals, Path dir) throws SQLException, IOException {
    Random random = new Random(42);
    byte[] hist = new byte[HIST_BYTES];
    byte[] steps = new byte[STEPS_BYTES];
    long t0 = 1_700_000_000_000L;
    long[] commitNs = new long[intervals];
    long cpuStart = cpuNs();
    try (Connection c = DriverManager.getConnection(e.url)) {
      try (Statement s = c.createStatement()) {
        for (String p : e.setup.split(";")) {
          if (!p.isBlank()) {
            s.execute(p);
          }
        }
        s.execute("CREATE TABLE name_interval (t BIGINT, app VARCHAR(200), name VARCHAR(1000), cnt BIGINT,"
            + " errors BIGINT, sum_ms BIGINT, max_ms BIGINT, hist " + e.blobType + ")");
        s.execute("CREATE INDEX name_interval_t ON name_interval (t)");
        s.execute("CREATE TABLE tx (txid BIGINT PRIMARY KEY, t BIGINT, app VARCHAR(200), name VARCHAR(1000),"
            + " elapsed INT, error INT)");
        s.execute("CREATE INDEX tx_t ON tx (t)");
        // the steps apart: a list or a range query reads the narrow rows only
        s.execute("CREATE TABLE tx_steps (txid BIGINT PRIMARY KEY, steps " + e.blobType + ")");
      }
      c.setAutoCommit(false);
      try (PreparedStatement names = c.prepareStatement("INSERT INTO name_interval VALUES (?,?,?,?,?,?,?,?)");
          PreparedStatement txs = c.prepareStatement("INSERT INTO tx VALUES (?,?,?,?,?,?)");
          PreparedStatement stepRows = c.prepareStatement("INSERT INTO tx_steps VALUES (?,?)")) {
        long txid = 1;
        for (int i = 0; i < intervals; i++) {
          long t = t0 + i * INTERVAL_MS;
          random.nextBytes(hist);
          random.nextBytes(steps);
          long start = System.nanoTime();
          for (int a = 0; a < APPS; a++) {
            for (int n = 0; n < NAMES; n++) {
              names.setLong(1, t);
              names.setString(2, "app-" + a);
              names.setString(3, "/api/resource/" + n + "/{id}");
              names.setLong(4, 500 + n);
              names.setLong(5, n % 7);
              names.setLong(6, 12_345L * n);
              names.setLong(7, 900 + n);
              names.setBytes(8, hist);
              names.addBatch();
            }
          }
          names.executeBatch();
          for (int k = 0; k < TX_PER_INTERVAL; k++) {
            stepRows.setLong(1, txid);
            stepRows.setBytes(2, steps);
            stepRows.addBatch();
            txs.setLong(1, txid++);
            txs.setLong(2, t + k);
            txs.setString(3, "app-" + (k % APPS));
            txs.setString(4, "/api/resource/" + (k % NAMES) + "/{id}");
            txs.setInt(5, random.nextInt(5000));
            txs.setInt(6, k % 10 == 0 ? 1 : 0);
            txs.addBatch();
          }
          txs.executeBatch();
          stepRows.executeBatch();
          c.commit();
          commitNs[i] = System.nanoTime() - start;
        }
      }
      long writeCpu = cpuNs() - cpuStart;
      long from = t0 + Math.max(0, intervals - 720L) * INTERVAL_MS;
      long[] totals = new long[15];
      long[] hists = new long[15];
      long[] slowest = new long[15];
      for (int r = 0; r < totals.length; r++) {
        totals[r] = time(c, "SELECT app, name, SUM(cnt), SUM(errors), SUM(sum_ms), MAX(max_ms) FROM name_interval"
            + " WHERE t >= ? GROUP BY app, name", from);
        hists[r] = time(c, "SELECT t, hist FROM name_interval WHERE t >= ? AND app = 'app-0'"
            + " AND name = '/api/resource/7/{id}' ORDER BY t", from);
        slowest[r] = time(c, "SELECT txid, elapsed FROM tx WHERE t >= ? ORDER BY elapsed DESC LIMIT 20", from);
      }
      c.commit();
      Arrays.sort(commitNs);
      System.out.printf("%-14s commit per interval: median %.2f ms, p99 %.2f ms; writer CPU %.2f ms per interval;"
          + " disk %.1f MB (%d intervals); 1 h queries (median of 15): per-name totals %.1f ms,"
          + " one name's histograms %.1f ms, slowest 20 tx %.1f ms%n", e.name, commitNs[intervals / 2] / 1e6,
          commitNs[intervals * 99 / 100] / 1e6, writeCpu / 1e6 / intervals, bytes(dir, e) / 1e6, intervals,
          median(totals) / 1e6, median(hists) / 1e6, median(slowest) / 1e6);
    }
  }

  private static long time(Connection c, String sql, long from) throws SQLException {
    long start = System.nanoTime();
    try (PreparedStatement p = c.prepareStatement(sql)) {
      p.setLong(1, from);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          rs.getObject(2);
        }
      }
    }
    return System.nanoTime() - start;
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static long cpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static long bytes(Path dir, Engine e) throws IOException {
    String prefix = e.name.startsWith("H2") ? "h2" : e.name.startsWith("SQLite") ? "sqlite" : "duck";
    long sum = 0;
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(p) && dir.relativize(p).toString().startsWith(prefix)) {
          sum += Files.size(p);
        }
      }
    }
    return sum;
  }

  private static void deleteTree(Path dir) throws IOException {
    List<Path> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      files.forEach(all::add);
    }
    for (int i = all.size() - 1; i >= 0; i--) {
      Files.deleteIfExists(all.get(i));
    }
  }
}
