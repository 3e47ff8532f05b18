package io.whatap.agent.store;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.assembly.TxRecordCodec;
import io.whatap.agent.intervals.Histogram;
import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.intervals.Intervals;
import io.whatap.agent.intervals.Stats;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The embedded store: one SQLite database ({@code agent.db} in agent_store_dir) in WAL mode, written
 * by one thread ({@link StoreWriter}) one commit per interval, read by the HTTP API through a
 * connection of its own. What it holds, at which resolution and for how long is in
 * docs/local-agent.md ("What is stored"); why SQLite, in whatap-agent/RATIONALE.md (Storage).
 *
 * <p>Every interval table has a resolution column ({@code res}, ms) and the interval's start
 * ({@code t}, epoch ms, the agent's clock). Rows of one key may repeat within an interval (nothing is
 * updated in place): readers and roll-ups add them up.
 */
public final class Store implements AutoCloseable {
  /** Fine rows (agent_interval_ms) are kept this long, then only their 1-minute roll-up. */
  public static final long FINE_KEEP_MS = 3 * 3600_000L;
  public static final long MINUTE_MS = 60_000L;
  /** 1-minute rows are kept this long, then only their 10-minute roll-up (kept for the retention). */
  public static final long MINUTE_KEEP_MS = 48 * 3600_000L;
  public static final long TEN_MINUTES_MS = 600_000L;
  static final String FILE = "agent.db";

  private static final String[] INTERVAL_TABLES = {"app_interval", "name_interval", "sql_interval", "call_interval",
      "error_interval"};

  private final Path file;
  private final int fineMs;
  private final long retentionMs;
  private final long maxBytes;
  private final Connection write;
  private final Connection read;
  private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(4096);
  private final ByteArrayOutputStream packed = new ByteArrayOutputStream(4096);
  private final PreparedStatement insApp;
  private final PreparedStatement insName;
  private final PreparedStatement insSql;
  private final PreparedStatement insCall;
  private final PreparedStatement insError;
  private final PreparedStatement insTx;
  private final PreparedStatement insBody;
  /** Rows deleted to keep the store under agent_store_max_mb (the oldest first); written by the writer only. */
  private volatile long deletedForSize;

  /**
   * Opens (creating when absent) the store in {@code dir}.
   *
   * @param fineMs      the agent's interval (agent_interval_ms): the finest resolution
   * @param retentionMs how long anything is kept (agent_store_retention_days)
   * @param maxBytes    what the database may take (agent_store_max_mb)
   */
  public Store(Path dir, int fineMs, long retentionMs, long maxBytes) throws SQLException, IOException {
    Files.createDirectories(dir);
    this.file = dir.resolve(FILE);
    this.fineMs = fineMs;
    this.retentionMs = retentionMs;
    this.maxBytes = maxBytes;
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    Connection w = DriverManager.getConnection(url);
    try {
      try (Statement s = w.createStatement()) {
        // before any table: lets the file shrink when the size cap deletes (PRAGMA incremental_vacuum)
        s.execute("PRAGMA auto_vacuum=INCREMENTAL");
        s.execute("PRAGMA journal_mode=WAL");
        // WAL + NORMAL: a commit survives the process being killed (the WAL is in the OS's cache);
        // only a power loss may take the last commits back, never corrupt the database
        s.execute("PRAGMA synchronous=NORMAL");
        // the write-ahead log is checkpointed into the database every walBytes and cut back to that
        // size: it stays small beside agent_store_max_mb (4 MB at most, an eighth of a small cap)
        long walBytes = Math.max(1L << 20, Math.min(4L << 20, maxBytes / 8));
        s.execute("PRAGMA wal_autocheckpoint=" + walBytes / 4096);
        s.execute("PRAGMA journal_size_limit=" + walBytes);
        s.execute("PRAGMA busy_timeout=5000");
        createSchema(s);
      }
      w.setAutoCommit(false);
      this.write = w;
      this.read = DriverManager.getConnection(url);
      try (Statement s = read.createStatement()) {
        s.execute("PRAGMA busy_timeout=5000");
      }
      insApp = w.prepareStatement("INSERT INTO app_interval (res, t, app, count, errors, sum_ms, min_ms, max_ms, cpu_ms,"
          + " hist, cpu_pct_sum, cpu_n, heap_used, heap_max, threads, active, gc_count, gc_time_ms)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
      insName = w.prepareStatement("INSERT INTO name_interval (res, t, app, name, count, errors, sum_ms, min_ms, max_ms,"
          + " cpu_ms, hist) VALUES (?,?,?,?,?,?,?,?,?,?,?)");
      insSql = w.prepareStatement("INSERT INTO sql_interval (res, t, app, name, sql, count, errors, sum_ms, max_ms, rows)"
          + " VALUES (?,?,?,?,?,?,?,?,?,?)");
      insCall = w.prepareStatement("INSERT INTO call_interval (res, t, app, name, url, count, errors, sum_ms, max_ms)"
          + " VALUES (?,?,?,?,?,?,?,?,?)");
      insError = w.prepareStatement("INSERT INTO error_interval (res, t, app, class, pattern, count, message, examples)"
          + " VALUES (?,?,?,?,?,?,?,?)");
      insTx = w.prepareStatement("INSERT OR REPLACE INTO tx (txid, t, app, name, elapsed, error, slow)"
          + " VALUES (?,?,?,?,?,?,?)");
      insBody = w.prepareStatement("INSERT OR REPLACE INTO tx_body (txid, body) VALUES (?,?)");
    } catch (SQLException e) {
      w.close();
      throw e;
    }
  }

  private static void createSchema(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS app_interval (res INTEGER NOT NULL, t INTEGER NOT NULL, app TEXT NOT NULL,"
        + " count INTEGER, errors INTEGER, sum_ms INTEGER, min_ms INTEGER, max_ms INTEGER, cpu_ms INTEGER, hist BLOB,"
        + " cpu_pct_sum REAL, cpu_n INTEGER, heap_used INTEGER, heap_max INTEGER, threads INTEGER, active INTEGER,"
        + " gc_count INTEGER, gc_time_ms INTEGER)");
    s.execute("CREATE TABLE IF NOT EXISTS name_interval (res INTEGER NOT NULL, t INTEGER NOT NULL, app TEXT NOT NULL,"
        + " name TEXT NOT NULL, count INTEGER, errors INTEGER, sum_ms INTEGER, min_ms INTEGER, max_ms INTEGER,"
        + " cpu_ms INTEGER, hist BLOB)");
    s.execute("CREATE TABLE IF NOT EXISTS sql_interval (res INTEGER NOT NULL, t INTEGER NOT NULL, app TEXT NOT NULL,"
        + " name TEXT NOT NULL, sql TEXT NOT NULL, count INTEGER, errors INTEGER, sum_ms INTEGER, max_ms INTEGER,"
        + " rows INTEGER)");
    s.execute("CREATE TABLE IF NOT EXISTS call_interval (res INTEGER NOT NULL, t INTEGER NOT NULL, app TEXT NOT NULL,"
        + " name TEXT NOT NULL, url TEXT NOT NULL, count INTEGER, errors INTEGER, sum_ms INTEGER, max_ms INTEGER)");
    s.execute("CREATE TABLE IF NOT EXISTS error_interval (res INTEGER NOT NULL, t INTEGER NOT NULL, app TEXT NOT NULL,"
        + " class TEXT NOT NULL, pattern TEXT NOT NULL, count INTEGER, message TEXT, examples TEXT)");
    for (String table : INTERVAL_TABLES) {
      s.execute("CREATE INDEX IF NOT EXISTS " + table + "_res_t ON " + table + " (res, t)");
    }
    // the transactions' list columns apart from their bodies: a range query reads the narrow rows only
    s.execute("CREATE TABLE IF NOT EXISTS tx (txid INTEGER PRIMARY KEY, t INTEGER NOT NULL, app TEXT NOT NULL,"
        + " name TEXT NOT NULL, elapsed INTEGER, error INTEGER, slow INTEGER)");
    s.execute("CREATE INDEX IF NOT EXISTS tx_t ON tx (t)");
    s.execute("CREATE INDEX IF NOT EXISTS tx_name_t ON tx (name, t)");
    s.execute("CREATE TABLE IF NOT EXISTS tx_body (txid INTEGER PRIMARY KEY, body BLOB)");
    s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER)");
  }

  public Path file() {
    return file;
  }

  /** Rows deleted so far to keep the store under agent_store_max_mb. */
  public long deletedForSize() {
    return deletedForSize;
  }

  public int fineMs() {
    return fineMs;
  }

  // ---------------------------------------------------------------- writing (the writer thread only)

  /**
   * Writes one closed interval: the applications' rows from {@code closed}, and what {@code batch}
   * gathered (null when no transaction completed in it), in one commit; false when there was nothing
   * to write (no commit).
   */
  boolean writeInterval(long start, int durationMs, List<Intervals.Closed> closed, IntervalBatch batch, long slowMs)
      throws SQLException {
    if (batch == null && closed.stream().allMatch(c -> c.stats().count == 0 && Double.isNaN(c.summary().cpuPct())
        && c.summary().heapUsed() < 0)) {
      return false; // nothing happened and nothing was measured: no rows, no commit
    }
    try {
      for (Intervals.Closed c : closed) {
        IntervalSummary s = c.summary();
        Stats st = c.stats();
        if (st.count == 0 && Double.isNaN(s.cpuPct()) && s.heapUsed() < 0) {
          continue; // nothing happened and nothing was measured: no row
        }
        insApp.setLong(1, durationMs);
        insApp.setLong(2, start);
        insApp.setString(3, c.app());
        insApp.setLong(4, st.count);
        insApp.setLong(5, st.errors);
        insApp.setLong(6, st.sum);
        insApp.setLong(7, st.minOrZero());
        insApp.setLong(8, st.max);
        insApp.setLong(9, batch == null ? 0 : batch.cpuMs(c.app()));
        insApp.setBytes(10, HistogramBlob.encode(st.histogram.counts()));
        boolean cpuKnown = !Double.isNaN(s.cpuPct());
        insApp.setDouble(11, cpuKnown ? s.cpuPct() : 0);
        insApp.setInt(12, cpuKnown ? 1 : 0);
        insApp.setLong(13, s.heapUsed());
        insApp.setLong(14, s.heapMax());
        insApp.setLong(15, s.threads());
        insApp.setLong(16, s.activeTotal());
        insApp.setLong(17, s.gcCount());
        insApp.setLong(18, s.gcTimeMs());
        insApp.addBatch();
      }
      insApp.executeBatch();
      if (batch != null) {
        writeBatch(batch, durationMs, start, slowMs);
      }
      write.commit();
      return true;
    } catch (SQLException | RuntimeException e) {
      rollback();
      throw e;
    }
  }

  private void writeBatch(IntervalBatch b, int res, long t, long slowMs) throws SQLException {
    for (Map.Entry<String, Map<String, IntervalBatch.NameAgg>> byApp : b.names.entrySet()) {
      for (Map.Entry<String, IntervalBatch.NameAgg> e : byApp.getValue().entrySet()) {
        Stats s = e.getValue().stats;
        insName.setLong(1, res);
        insName.setLong(2, t);
        insName.setString(3, byApp.getKey());
        insName.setString(4, e.getKey());
        insName.setLong(5, s.count);
        insName.setLong(6, s.errors);
        insName.setLong(7, s.sum);
        insName.setLong(8, s.minOrZero());
        insName.setLong(9, s.max);
        insName.setLong(10, e.getValue().cpuMs);
        insName.setBytes(11, HistogramBlob.encode(s.histogram.counts()));
        insName.addBatch();
      }
    }
    insName.executeBatch();
    for (Map.Entry<IntervalBatch.StepKey, IntervalBatch.StepAgg> e : b.sql.entrySet()) {
      IntervalBatch.StepAgg a = e.getValue();
      stepRow(insSql, res, t, e.getKey(), a);
      insSql.setLong(10, a.rows);
      insSql.addBatch();
    }
    insSql.executeBatch();
    for (Map.Entry<IntervalBatch.StepKey, IntervalBatch.StepAgg> e : b.calls.entrySet()) {
      stepRow(insCall, res, t, e.getKey(), e.getValue());
      insCall.addBatch();
    }
    insCall.executeBatch();
    for (Map.Entry<IntervalBatch.ErrorKey, IntervalBatch.ErrorAgg> e : b.errors.entrySet()) {
      IntervalBatch.ErrorAgg a = e.getValue();
      insError.setLong(1, res);
      insError.setLong(2, t);
      insError.setString(3, e.getKey().app());
      insError.setString(4, e.getKey().errorClass());
      insError.setString(5, e.getKey().pattern());
      insError.setLong(6, a.count);
      insError.setString(7, a.message);
      insError.setString(8, examples(a.examples));
      insError.addBatch();
    }
    insError.executeBatch();
    for (TxRecord tx : b.kept) {
      insTx.setLong(1, tx.txid);
      insTx.setLong(2, tx.receivedAt);
      insTx.setString(3, tx.app == null ? "" : tx.app);
      insTx.setString(4, tx.name);
      insTx.setInt(5, tx.elapsed);
      insTx.setInt(6, tx.error ? 1 : 0);
      insTx.setInt(7, tx.elapsed >= slowMs ? 1 : 0);
      insTx.addBatch();
      insBody.setLong(1, tx.txid);
      insBody.setBytes(2, pack(tx));
      insBody.addBatch();
    }
    insTx.executeBatch();
    insBody.executeBatch();
  }

  private static void stepRow(PreparedStatement p, int res, long t, IntervalBatch.StepKey k, IntervalBatch.StepAgg a)
      throws SQLException {
    p.setLong(1, res);
    p.setLong(2, t);
    p.setString(3, k.app());
    p.setString(4, k.name());
    p.setString(5, k.text());
    p.setLong(6, a.count);
    p.setLong(7, a.errors);
    p.setLong(8, a.sumMs);
    p.setLong(9, a.maxMs);
  }

  private static String examples(List<Long> txids) {
    StringBuilder b = new StringBuilder();
    for (long id : txids) {
      b.append(b.length() == 0 ? "" : ",").append(id);
    }
    return b.toString();
  }

  private byte[] pack(TxRecord tx) {
    buffer.reset();
    TxRecordCodec.encode(tx, buffer);
    packed.reset();
    deflater.reset();
    try (DeflaterOutputStream out = new DeflaterOutputStream(packed, deflater, 4096)) {
      buffer.writeTo(out);
    } catch (IOException e) {
      throw new IllegalStateException("compressing in memory failed", e);
    }
    return packed.toByteArray();
  }

  private void rollback() {
    try {
      write.rollback();
    } catch (SQLException ignored) {
      // the failure being reported is the one that matters
    }
  }

  // ---------------------------------------------------------------- roll-up, retention, size

  /**
   * Rolls up what has closed by {@code closedEnd} (the end of the newest interval written, agent
   * clock), deletes what is past its keep, in one commit; then, over agent_store_max_mb, deletes the
   * oldest data until under it. Exact: counts, sums and histogram buckets add, min is min and max is
   * max; each target interval is rolled once (a watermark in the same commit says how far).
   */
  void maintain(long closedEnd) throws SQLException {
    try {
      long minuteWatermark = closedEnd;
      if (fineMs < MINUTE_MS) {
        minuteWatermark = rollUp(fineMs, MINUTE_MS, closedEnd);
        deleteBefore(fineMs, Math.min(minuteWatermark, closedEnd - FINE_KEEP_MS));
      }
      long tenWatermark = rollUp(MINUTE_MS, TEN_MINUTES_MS, minuteWatermark);
      deleteBefore(MINUTE_MS, Math.min(tenWatermark, closedEnd - MINUTE_KEEP_MS));
      long oldest = closedEnd - retentionMs;
      deleteBefore(TEN_MINUTES_MS, oldest);
      try (PreparedStatement p = write.prepareStatement("DELETE FROM tx_body WHERE txid IN (SELECT txid FROM tx WHERE t < ?)");
          PreparedStatement q = write.prepareStatement("DELETE FROM tx WHERE t < ?")) {
        p.setLong(1, oldest);
        p.executeUpdate();
        q.setLong(1, oldest);
        q.executeUpdate();
      }
      write.commit();
      if (usedBytes() > maxBytes) {
        shrink();
      }
    } catch (SQLException | RuntimeException e) {
      rollback();
      throw e;
    }
  }

  /** Rows of resolution {@code from} rolled into {@code to} up to {@code upTo}; returns the new watermark. */
  private long rollUp(long from, long to, long upTo) throws SQLException {
    String key = "rolled_" + to;
    long end = Math.floorDiv(upTo, to) * to;
    Long mark = meta(key);
    if (mark == null) {
      Long first = firstT(from);
      if (first == null) {
        return end; // nothing of this resolution yet: nothing to roll, and nothing will be older
      }
      mark = Math.floorDiv(first, to) * to;
    }
    if (end <= mark) {
      return mark;
    }
    rollAppRows(from, to, mark, end);
    rollNameRows(from, to, mark, end);
    rollSql("sql_interval", "sql", ", SUM(rows)", from, to, mark, end);
    rollSql("call_interval", "url", "", from, to, mark, end);
    try (PreparedStatement p = write.prepareStatement("INSERT INTO error_interval (res, t, app, class, pattern, count,"
        + " message, examples) SELECT ?, (t / ?) * ?, app, class, pattern, SUM(count), MIN(message), MIN(examples)"
        + " FROM error_interval WHERE res = ? AND t >= ? AND t < ? GROUP BY t / ?, app, class, pattern")) {
      bindRoll(p, from, to, mark, end);
      p.executeUpdate();
    }
    setMeta(key, end);
    return end;
  }

  private void rollSql(String table, String textColumn, String rows, long from, long to, long mark, long end)
      throws SQLException {
    String columns = "res, t, app, name, " + textColumn + ", count, errors, sum_ms, max_ms" + (rows.isEmpty() ? "" : ", rows");
    try (PreparedStatement p = write.prepareStatement("INSERT INTO " + table + " (" + columns + ") SELECT ?, (t / ?) * ?,"
        + " app, name, " + textColumn + ", SUM(count), SUM(errors), SUM(sum_ms), MAX(max_ms)" + rows + " FROM " + table
        + " WHERE res = ? AND t >= ? AND t < ? GROUP BY t / ?, app, name, " + textColumn)) {
      bindRoll(p, from, to, mark, end);
      p.executeUpdate();
    }
  }

  private static void bindRoll(PreparedStatement p, long from, long to, long mark, long end) throws SQLException {
    p.setLong(1, to);
    p.setLong(2, to);
    p.setLong(3, to);
    p.setLong(4, from);
    p.setLong(5, mark);
    p.setLong(6, end);
    p.setLong(7, to);
  }

  /** Application rows: statistics and histograms merged in Java (SQL cannot add blobs bucket by bucket). */
  private void rollAppRows(long from, long to, long mark, long end) throws SQLException {
    Map<List<Object>, AppRow> merged = new LinkedHashMap<>();
    try (PreparedStatement p = write.prepareStatement(AppRow.SELECT + " WHERE res = ? AND t >= ? AND t < ? ORDER BY t")) {
      p.setLong(1, from);
      p.setLong(2, mark);
      p.setLong(3, end);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          AppRow r = AppRow.read(rs);
          long t = Math.floorDiv(r.t, to) * to;
          merged.computeIfAbsent(List.of(t, r.app), k -> new AppRow(t, r.app)).add(r);
        }
      }
    }
    for (AppRow r : merged.values()) {
      insApp.setLong(1, to);
      insApp.setLong(2, r.t);
      insApp.setString(3, r.app);
      insApp.setLong(4, r.stats.count);
      insApp.setLong(5, r.stats.errors);
      insApp.setLong(6, r.stats.sum);
      insApp.setLong(7, r.stats.minOrZero());
      insApp.setLong(8, r.stats.max);
      insApp.setLong(9, r.cpuMs);
      insApp.setBytes(10, HistogramBlob.encode(r.stats.histogram.counts()));
      insApp.setDouble(11, r.cpuPctSum);
      insApp.setLong(12, r.cpuN);
      insApp.setLong(13, r.heapUsed);
      insApp.setLong(14, r.heapMax);
      insApp.setLong(15, r.threads);
      insApp.setLong(16, r.active);
      insApp.setLong(17, r.gcCount);
      insApp.setLong(18, r.gcTimeMs);
      insApp.addBatch();
    }
    insApp.executeBatch();
  }

  private void rollNameRows(long from, long to, long mark, long end) throws SQLException {
    Map<List<Object>, NameRow> merged = new LinkedHashMap<>();
    try (PreparedStatement p = write.prepareStatement(NameRow.SELECT + " WHERE res = ? AND t >= ? AND t < ? ORDER BY t")) {
      p.setLong(1, from);
      p.setLong(2, mark);
      p.setLong(3, end);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          NameRow r = NameRow.read(rs);
          long t = Math.floorDiv(r.t, to) * to;
          merged.computeIfAbsent(List.of(t, r.app, r.name), k -> new NameRow(t, r.app, r.name)).add(r);
        }
      }
    }
    for (NameRow r : merged.values()) {
      insName.setLong(1, to);
      insName.setLong(2, r.t);
      insName.setString(3, r.app);
      insName.setString(4, r.name);
      insName.setLong(5, r.stats.count);
      insName.setLong(6, r.stats.errors);
      insName.setLong(7, r.stats.sum);
      insName.setLong(8, r.stats.minOrZero());
      insName.setLong(9, r.stats.max);
      insName.setLong(10, r.cpuMs);
      insName.setBytes(11, HistogramBlob.encode(r.stats.histogram.counts()));
      insName.addBatch();
    }
    insName.executeBatch();
  }

  private void deleteBefore(long res, long before) throws SQLException {
    for (String table : INTERVAL_TABLES) {
      try (PreparedStatement p = write.prepareStatement("DELETE FROM " + table + " WHERE res = ? AND t < ?")) {
        p.setLong(1, res);
        p.setLong(2, before);
        p.executeUpdate();
      }
    }
  }

  private Long firstT(long res) throws SQLException {
    try (PreparedStatement p = write.prepareStatement("SELECT MIN(t) FROM app_interval WHERE res = ?")) {
      p.setLong(1, res);
      try (ResultSet rs = p.executeQuery()) {
        long v = rs.getLong(1);
        return rs.wasNull() ? null : v;
      }
    }
  }

  private Long meta(String key) throws SQLException {
    try (PreparedStatement p = write.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      p.setString(1, key);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  private void setMeta(String key, long value) throws SQLException {
    try (PreparedStatement p = write.prepareStatement("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)")) {
      p.setString(1, key);
      p.setLong(2, value);
      p.executeUpdate();
    }
  }

  /** Pages in use (not free) times the page size: what the data takes, whatever the file's length. */
  long usedBytes() throws SQLException {
    try (Statement s = write.createStatement()) {
      long pages = single(s, "PRAGMA page_count");
      long free = single(s, "PRAGMA freelist_count");
      return (pages - free) * single(s, "PRAGMA page_size");
    }
  }

  private static long single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.getLong(1);
    }
  }

  /**
   * Over agent_store_max_mb: deletes the oldest transactions (the bulk of the store) a tenth at a
   * time, then, when none is left, the oldest interval rows, until the data takes at most three
   * quarters of the cap (room for a while: each pass ends with a checkpoint); then gives the freed
   * pages back to the file system.
   */
  private void shrink() throws SQLException {
    long target = maxBytes * 3 / 4;
    for (int round = 0; round < 200 && usedBytes() > target; round++) {
      long n;
      try (Statement s = write.createStatement()) {
        long txs = single(s, "SELECT COUNT(*) FROM tx");
        if (txs > 0) {
          long cut = Math.max(1, txs / 10);
          s.execute("CREATE TEMP TABLE IF NOT EXISTS doomed (txid INTEGER PRIMARY KEY)");
          s.execute("DELETE FROM doomed");
          s.execute("INSERT INTO doomed SELECT txid FROM tx ORDER BY t LIMIT " + cut);
          s.execute("DELETE FROM tx_body WHERE txid IN (SELECT txid FROM doomed)");
          n = s.executeUpdate("DELETE FROM tx WHERE txid IN (SELECT txid FROM doomed)");
        } else {
          n = deleteOldestIntervals(s);
        }
      }
      write.commit();
      deletedForSize += n;
      if (n == 0) {
        break;
      }
    }
    write.setAutoCommit(true);
    try (Statement s = write.createStatement()) {
      s.execute("PRAGMA incremental_vacuum");
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      write.setAutoCommit(false);
    }
  }

  /** Deletes the oldest tenth (by time) of the interval rows, all resolutions; the count deleted. */
  private long deleteOldestIntervals(Statement s) throws SQLException {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (String table : INTERVAL_TABLES) {
      try (ResultSet rs = s.executeQuery("SELECT MIN(t), MAX(t) FROM " + table)) {
        long lo = rs.getLong(1);
        if (!rs.wasNull()) {
          min = Math.min(min, lo);
          max = Math.max(max, rs.getLong(2));
        }
      }
    }
    if (min == Long.MAX_VALUE) {
      return 0;
    }
    long cut = min + Math.max(1, (max - min) / 10);
    long n = 0;
    for (String table : INTERVAL_TABLES) {
      n += s.executeUpdate("DELETE FROM " + table + " WHERE t < " + cut);
    }
    return n;
  }

  // ---------------------------------------------------------------- reading (the HTTP API's worker)

  /**
   * The resolution (ms) a range is read at: the finest that still holds {@code from} (by the keeps
   * above) and gives at most {@code maxPoints} points.
   */
  public long resolutionFor(long from, long to, long now, int maxPoints) {
    long span = Math.max(1, to - from);
    if (fineMs < MINUTE_MS && from >= now - FINE_KEEP_MS && span / fineMs <= maxPoints) {
      return fineMs;
    }
    if (from >= now - MINUTE_KEEP_MS && span / MINUTE_MS <= maxPoints) {
      return Math.max(fineMs, MINUTE_MS);
    }
    return TEN_MINUTES_MS;
  }

  /**
   * One application's (app "" : all together) intervals in [from, to) at resolution {@code res},
   * oldest first, as the in-memory series shows them (bands are not stored: empty).
   */
  public synchronized List<IntervalSummary> series(String app, long from, long to, long res) throws SQLException {
    List<IntervalSummary> out = new ArrayList<>();
    try (PreparedStatement p = read.prepareStatement(AppRow.SELECT + " WHERE res = ? AND app = ? AND t >= ? AND t < ?"
        + " ORDER BY t")) {
      p.setLong(1, res);
      p.setString(2, app);
      p.setLong(3, floor(from, res));
      p.setLong(4, to);
      AppRow current = null;
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          AppRow r = AppRow.read(rs);
          if (current != null && current.t != r.t) {
            out.add(current.summary((int) res));
            current = null;
          }
          if (current == null) {
            current = new AppRow(r.t, r.app);
          }
          current.add(r);
        }
      }
      if (current != null) {
        out.add(current.summary((int) res));
      }
    }
    return out;
  }

  /** The applications with rows in [from, to) at {@code res}, by name ("" not included). */
  public synchronized List<String> apps(long from, long to, long res) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement p = read.prepareStatement("SELECT DISTINCT app FROM app_interval WHERE res = ? AND t >= ?"
        + " AND t < ? AND app <> '' ORDER BY app")) {
      p.setLong(1, res);
      p.setLong(2, floor(from, res));
      p.setLong(3, to);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }

  /** A name's statistics over a range, and its CPU. */
  public record NameTotals(String app, String name, Stats stats, long cpuMs) {
  }

  /**
   * Per-name statistics over [from, to) at {@code res}, one application's ({@code app} null: every
   * application's, a name of two applications once per application).
   */
  public synchronized List<NameTotals> names(String app, long from, long to, long res) throws SQLException {
    Map<List<String>, NameRow> merged = new LinkedHashMap<>();
    try (PreparedStatement p = read.prepareStatement(NameRow.SELECT + " WHERE res = ? AND t >= ? AND t < ?"
        + (app == null ? "" : " AND app = ?"))) {
      p.setLong(1, res);
      p.setLong(2, floor(from, res));
      p.setLong(3, to);
      if (app != null) {
        p.setString(4, app);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          NameRow r = NameRow.read(rs);
          merged.computeIfAbsent(List.of(r.app, r.name), k -> new NameRow(0, r.app, r.name)).add(r);
        }
      }
    }
    List<NameTotals> out = new ArrayList<>();
    for (NameRow r : merged.values()) {
      out.add(new NameTotals(r.app, r.name, r.stats, r.cpuMs));
    }
    return out;
  }

  /** One name's point per interval (all its applications added unless {@code app} is given). */
  public record NamePoint(long t, Stats stats, long cpuMs) {
  }

  public synchronized List<NamePoint> nameSeries(String app, String name, long from, long to, long res)
      throws SQLException {
    Map<Long, NameRow> merged = new LinkedHashMap<>();
    try (PreparedStatement p = read.prepareStatement(NameRow.SELECT + " WHERE res = ? AND name = ? AND t >= ? AND t < ?"
        + (app == null ? "" : " AND app = ?") + " ORDER BY t")) {
      p.setLong(1, res);
      p.setString(2, name);
      p.setLong(3, floor(from, res));
      p.setLong(4, to);
      if (app != null) {
        p.setString(5, app);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          NameRow r = NameRow.read(rs);
          merged.computeIfAbsent(r.t, k -> new NameRow(r.t, r.app, r.name)).add(r);
        }
      }
    }
    List<NamePoint> out = new ArrayList<>();
    for (NameRow r : merged.values()) {
      out.add(new NamePoint(r.t, r.stats, r.cpuMs));
    }
    return out;
  }

  /** Which stored transactions a list wants. */
  public enum TxKind {
    /** Every stored one (failed, slow and the sample), newest first. */
    RECENT,
    /** Slow or failed, newest first. */
    SLOW,
    /** The slowest first. */
    SLOWEST,
    /** Failed, newest first. */
    FAILED
  }

  /** Stored transactions in [from, to) (agent clock), of one application and/or name when given. */
  public synchronized List<TxRecord> transactions(String app, String name, TxKind kind, long from, long to, int limit)
      throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT b.body FROM tx x JOIN tx_body b ON b.txid = x.txid WHERE x.t >= ?"
        + " AND x.t < ?");
    if (app != null) {
      sql.append(" AND x.app = ?");
    }
    if (name != null) {
      sql.append(" AND x.name = ?");
    }
    switch (kind) {
      case SLOW -> sql.append(" AND (x.slow = 1 OR x.error = 1) ORDER BY x.t DESC");
      case FAILED -> sql.append(" AND x.error = 1 ORDER BY x.t DESC");
      case SLOWEST -> sql.append(" ORDER BY x.elapsed DESC");
      default -> sql.append(" ORDER BY x.t DESC");
    }
    sql.append(" LIMIT ?");
    List<TxRecord> out = new ArrayList<>();
    try (PreparedStatement p = read.prepareStatement(sql.toString())) {
      int i = 1;
      p.setLong(i++, from);
      p.setLong(i++, to);
      if (app != null) {
        p.setString(i++, app);
      }
      if (name != null) {
        p.setString(i++, name);
      }
      p.setInt(i, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          TxRecord t = unpack(rs.getBytes(1));
          if (t != null) {
            out.add(t);
          }
        }
      }
    }
    return out;
  }

  /** A stored transaction, or null. */
  public synchronized TxRecord transaction(long txid) throws SQLException {
    try (PreparedStatement p = read.prepareStatement("SELECT body FROM tx_body WHERE txid = ?")) {
      p.setLong(1, txid);
      try (ResultSet rs = p.executeQuery()) {
        return rs.next() ? unpack(rs.getBytes(1)) : null;
      }
    }
  }

  private static TxRecord unpack(byte[] body) {
    try (InflaterInputStream in = new InflaterInputStream(new ByteArrayInputStream(body))) {
      return TxRecordCodec.decode(in);
    } catch (IOException e) {
      return null; // a body this agent cannot read (another layout): left out of the answer
    }
  }

  /** A SQL statement's or a called URL's totals over a range. */
  public record StepTotals(String app, String name, String text, long count, long errors, long sumMs, long maxMs,
      long rows) {
  }

  /**
   * SQL statements ({@code calls} false) or called URLs over [from, to), the most time first, of one
   * application and/or name when given; without a name, one row per statement over all names.
   */
  public synchronized List<StepTotals> steps(boolean calls, String app, String name, long from, long to, long res,
      int limit) throws SQLException {
    String table = calls ? "call_interval" : "sql_interval";
    String text = calls ? "url" : "sql";
    String nameColumn = name == null ? "''" : "name";
    StringBuilder sql = new StringBuilder("SELECT app, " + nameColumn + ", " + text + ", SUM(count), SUM(errors),"
        + " SUM(sum_ms), MAX(max_ms), " + (calls ? "0" : "SUM(rows)") + " FROM " + table
        + " WHERE res = ? AND t >= ? AND t < ?");
    if (app != null) {
      sql.append(" AND app = ?");
    }
    if (name != null) {
      sql.append(" AND name = ?");
    }
    sql.append(" GROUP BY app, ").append(name == null ? "" : "name, ").append(text)
        .append(" ORDER BY SUM(sum_ms) DESC LIMIT ?");
    List<StepTotals> out = new ArrayList<>();
    try (PreparedStatement p = read.prepareStatement(sql.toString())) {
      int i = 1;
      p.setLong(i++, res);
      p.setLong(i++, floor(from, res));
      p.setLong(i++, to);
      if (app != null) {
        p.setString(i++, app);
      }
      if (name != null) {
        p.setString(i++, name);
      }
      p.setInt(i, limit);
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          out.add(new StepTotals(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
              rs.getLong(6), rs.getLong(7), rs.getLong(8)));
        }
      }
    }
    return out;
  }

  /** An error group over a range: its count per interval and example transactions (newest first). */
  public record ErrorGroup(String app, String errorClass, String pattern, String message, long count,
      List<long[]> points, List<Long> examples) {
  }

  /** Error groups over [from, to), the most frequent first, of one application when given. */
  public synchronized List<ErrorGroup> errors(String app, long from, long to, long res, int limit)
      throws SQLException {
    record Acc(String app, String cls, String pattern, String[] message, long[] count, List<long[]> points,
        List<Long> examples) {
    }
    Map<List<String>, Acc> groups = new LinkedHashMap<>();
    try (PreparedStatement p = read.prepareStatement("SELECT t, app, class, pattern, count, message, examples"
        + " FROM error_interval WHERE res = ? AND t >= ? AND t < ?" + (app == null ? "" : " AND app = ?")
        + " ORDER BY t")) {
      p.setLong(1, res);
      p.setLong(2, floor(from, res));
      p.setLong(3, to);
      if (app != null) {
        p.setString(4, app);
      }
      try (ResultSet rs = p.executeQuery()) {
        while (rs.next()) {
          long t = rs.getLong(1);
          Acc a = groups.computeIfAbsent(List.of(rs.getString(2), rs.getString(3), rs.getString(4)),
              k -> new Acc(k.get(0), k.get(1), k.get(2), new String[1], new long[1], new ArrayList<>(),
                  new ArrayList<>()));
          long n = rs.getLong(5);
          a.count[0] += n;
          if (!a.points.isEmpty() && a.points.get(a.points.size() - 1)[0] == t) {
            a.points.get(a.points.size() - 1)[1] += n;
          } else {
            a.points.add(new long[] {t, n});
          }
          if (a.message[0] == null) {
            a.message[0] = rs.getString(6);
          }
          String ex = rs.getString(7);
          if (ex != null && !ex.isEmpty()) {
            for (String id : ex.split(",")) {
              a.examples.add(0, Long.parseLong(id));
            }
          }
        }
      }
    }
    List<ErrorGroup> out = new ArrayList<>();
    for (Acc a : groups.values()) {
      out.add(new ErrorGroup(a.app, a.cls, a.pattern, a.message[0], a.count[0], a.points,
          a.examples.subList(0, Math.min(a.examples.size(), 5))));
    }
    out.sort((x, y) -> Long.compare(y.count(), x.count()));
    return out.size() > limit ? out.subList(0, limit) : out;
  }

  /** What the store takes on disk now: the database and its write-ahead log. */
  public long fileBytes() {
    long n = 0;
    for (String suffix : new String[] {"", "-wal"}) {
      try {
        n += Files.size(file.resolveSibling(FILE + suffix));
      } catch (IOException e) {
        // absent (no WAL yet)
      }
    }
    return n;
  }

  private static long floor(long t, long res) {
    return Math.floorDiv(t, res) * res;
  }

  @Override
  public synchronized void close() {
    deflater.end();
    for (Connection c : new Connection[] {read, write}) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing: the process may end anyway, and SQLite recovers the WAL at the next open
      }
    }
  }

  /** An application row being read or added up. */
  private static final class AppRow {
    static final String SELECT = "SELECT t, app, count, errors, sum_ms, min_ms, max_ms, cpu_ms, hist, cpu_pct_sum,"
        + " cpu_n, heap_used, heap_max, threads, active, gc_count, gc_time_ms FROM app_interval";
    final long t;
    final String app;
    final Stats stats = new Stats();
    long cpuMs;
    double cpuPctSum;
    long cpuN;
    long heapUsed = -1;
    long heapMax = -1;
    long threads = -1;
    long active;
    long gcCount;
    long gcTimeMs;

    AppRow(long t, String app) {
      this.t = t;
      this.app = app;
    }

    static AppRow read(ResultSet rs) throws SQLException {
      AppRow r = new AppRow(rs.getLong(1), rs.getString(2));
      readStats(rs, 3, r.stats);
      r.cpuMs = rs.getLong(8);
      r.stats.histogram.addCounts(HistogramBlob.decode(rs.getBytes(9)));
      r.cpuPctSum = rs.getDouble(10);
      r.cpuN = rs.getLong(11);
      r.heapUsed = rs.getLong(12);
      r.heapMax = rs.getLong(13);
      r.threads = rs.getLong(14);
      r.active = rs.getLong(15);
      r.gcCount = rs.getLong(16);
      r.gcTimeMs = rs.getLong(17);
      return r;
    }

    /** Adds {@code r} to this one: counts and sums add, min is min, max is max (gauges: the highest). */
    void add(AppRow r) {
      stats.addAll(r.stats);
      cpuMs += r.cpuMs;
      cpuPctSum += r.cpuPctSum;
      cpuN += r.cpuN;
      heapUsed = Math.max(heapUsed, r.heapUsed);
      heapMax = Math.max(heapMax, r.heapMax);
      threads = Math.max(threads, r.threads);
      active = Math.max(active, r.active);
      gcCount += r.gcCount;
      gcTimeMs += r.gcTimeMs;
    }

    IntervalSummary summary(int durationMs) {
      return IntervalSummary.of(t, durationMs, stats, active > 0 ? new int[] {(int) active} : new int[0],
          cpuN == 0 ? Double.NaN : cpuPctSum / cpuN, heapUsed, heapMax, gcCount, gcTimeMs, threads);
    }
  }

  private static void readStats(ResultSet rs, int column, Stats s) throws SQLException {
    s.count = rs.getLong(column);
    s.errors = rs.getLong(column + 1);
    s.sum = rs.getLong(column + 2);
    s.min = s.count == 0 ? Long.MAX_VALUE : rs.getLong(column + 3);
    s.max = rs.getLong(column + 4);
  }

  /** A name row being read or added up. */
  private static final class NameRow {
    static final String SELECT = "SELECT t, app, name, count, errors, sum_ms, min_ms, max_ms, cpu_ms, hist"
        + " FROM name_interval";
    final long t;
    final String app;
    final String name;
    final Stats stats = new Stats();
    long cpuMs;

    NameRow(long t, String app, String name) {
      this.t = t;
      this.app = app;
      this.name = name;
    }

    static NameRow read(ResultSet rs) throws SQLException {
      NameRow r = new NameRow(rs.getLong(1), rs.getString(2), rs.getString(3));
      readStats(rs, 4, r.stats);
      r.cpuMs = rs.getLong(9);
      r.stats.histogram.addCounts(HistogramBlob.decode(rs.getBytes(10)));
      return r;
    }

    void add(NameRow r) {
      stats.addAll(r.stats);
      cpuMs += r.cpuMs;
    }
  }

  /** Histogram counts as bytes: one unsigned varint per bucket (an empty bucket is one byte). */
  static final class HistogramBlob {
    private HistogramBlob() {
    }

    static byte[] encode(long[] counts) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Histogram.BUCKETS + 8);
      for (long c : counts) {
        long v = c;
        while ((v & ~0x7FL) != 0) {
          out.write((int) ((v & 0x7F) | 0x80));
          v >>>= 7;
        }
        out.write((int) v);
      }
      return out.toByteArray();
    }

    static long[] decode(byte[] b) {
      long[] counts = new long[Histogram.BUCKETS];
      if (b == null) {
        return counts;
      }
      int i = 0;
      for (int k = 0; k < counts.length && i < b.length; k++) {
        long v = 0;
        int shift = 0;
        while (i < b.length) {
          int x = b[i++] & 0xFF;
          v |= (long) (x & 0x7F) << shift;
          shift += 7;
          if ((x & 0x80) == 0) {
            break;
          }
        }
        counts[k] = v;
      }
      return counts;
    }
  }
}
