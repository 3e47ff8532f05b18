package io.whatap.jdbc.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.Pack;
import io.whatap.wire.TxDbConnPack;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMsgPack;
import io.whatap.wire.TxSqlPack;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The JDBC steps every way in must record, against a real database: each statement kind, a batch,
 * a failing statement, a ResultSet read partly and closed, credentials absent from every pack. The
 * assertions read what a real UDP receiver on loopback decoded. A subclass supplies the database
 * (H2, PostgreSQL) and the way in (library mode wraps the DataSource; the javaagent's tests hand
 * over the driver's own DataSource and let the hooks trace it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JdbcStepsScenarios {
  protected static final Duration WAIT = Duration.ofSeconds(15);
  private static final AtomicInteger NAMES = new AtomicInteger();

  protected UdpTestReceiver receiver;
  private DataSource dataSource;

  /** Starts the database (once per class) and returns the DataSource the application would use. */
  protected abstract DataSource startDatabase() throws Exception;

  protected abstract void stopDatabase();

  /** The secrets in the database's URL or login, none of which may appear in any pack. */
  protected abstract List<String> secrets();

  /** A driver class that {@code Connection.unwrap} must reach. */
  protected abstract Class<?> driverConnectionClass();

  /** The URL prefix the steps must name, e.g. {@code jdbc:postgresql://127.0.0.1:}. */
  protected abstract String expectedDbcPrefix();

  @BeforeAll
  void startAll() throws Exception {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    options.put("profile_sql_literals", "false");
    options.put("profile_sql_params", "false");
    Whatap.configure(options);
    dataSource = startDatabase();
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table items (id int primary key, name varchar(64) not null)");
      try (PreparedStatement p = c.prepareStatement("insert into items (id, name) values (?, ?)")) {
        for (int i = 1; i <= 10; i++) {
          p.setInt(1, i);
          p.setString(2, "item-" + i);
          p.executeUpdate();
        }
      }
    }
  }

  @AfterAll
  void stopAll() {
    try {
      stopDatabase();
    } finally {
      receiver.close();
    }
  }

  /** Runs {@code work} in a transaction of its own and returns what the receiver got for it. */
  protected ReceivedTx inTransaction(SqlWork work) throws Exception {
    String name = "/jdbc-test-" + NAMES.incrementAndGet();
    Transaction tx = Whatap.startTransaction(name);
    try {
      work.run();
    } finally {
      tx.end();
    }
    return receiver.awaitTransaction(name, WAIT);
  }

  @FunctionalInterface
  protected interface SqlWork {
    void run() throws Exception;
  }

  @Test
  void gettingAConnectionIsATimedStepWithoutCredentials() throws Exception {
    ReceivedTx tx = inTransaction(() -> dataSource.getConnection().close());
    List<TxDbConnPack> conns = tx.steps(TxDbConnPack.class);
    assertThat(conns).hasSize(1);
    assertThat(conns.get(0).dbc()).startsWith(expectedDbcPrefix());
    assertThat(conns.get(0).header().elapsed()).isGreaterThanOrEqualTo(0);
    assertNoSecrets(tx);
  }

  @Test
  void aPlainStatementQueryHasItsLiteralsMaskedAndCountsTheRowsRead() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select id, name from items where name <> 'nobody' and id > 3 order by id")) {
        while (rs.next()) {
          rs.getString(2);
        }
      }
    });
    TxSqlPack sql = onlySql(tx);
    assertThat(sql.sql()).isEqualTo("select id, name from items where name <> ? and id > ? order by id");
    assertThat(sql.fetch()).isEqualTo(7);
    assertThat(sql.dbc()).startsWith(expectedDbcPrefix());
  }

  @Test
  void aResultSetReadPartlyAndClosedCountsWhatWasRead() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection();
          PreparedStatement p = c.prepareStatement("select id from items where id <= ? order by id")) {
        p.setInt(1, 10);
        ResultSet rs = p.executeQuery();
        for (int i = 0; i < 3; i++) {
          assertThat(rs.next()).isTrue();
        }
        rs.close();
      }
    });
    TxSqlPack sql = onlySql(tx);
    assertThat(sql.sql()).isEqualTo("select id from items where id <= ? order by id");
    assertThat(sql.fetch()).isEqualTo(3);
  }

  @Test
  void aQueryLeftOpenIsRecordedWhenItsConnectionCloses() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      Connection c = dataSource.getConnection();
      Statement s = c.createStatement();
      ResultSet rs = s.executeQuery("select id from items order by id");
      rs.next();
      rs.next();
      c.close();
    });
    assertThat(onlySql(tx).fetch()).isEqualTo(2);
  }

  @Test
  void aQueryLeftOpenPastTheTransactionsEndIsRecordedWhenItEnds() throws Exception {
    Connection[] open = new Connection[1];
    ResultSet[] rs = new ResultSet[1];
    ReceivedTx tx;
    try {
      tx = inTransaction(() -> {
        open[0] = dataSource.getConnection();
        rs[0] = open[0].createStatement().executeQuery("select id from items order by id");
        rs[0].next();
        rs[0].next();
        rs[0].next();
      });
      rs[0].next(); // read after the end: belongs to no step
    } finally {
      if (open[0] != null) {
        open[0].close(); // must not record the ended query again
      }
    }
    assertThat(onlySql(tx).fetch()).isEqualTo(3);
    ReceivedTx next = inTransaction(() -> dataSource.getConnection().close());
    assertThat(next.steps(TxSqlPack.class)).isEmpty();
  }

  @Test
  void aStatementExecutedAgainRecordsTheFirstExecutionOnce() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection();
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
    });
    List<TxSqlPack> sqls = tx.steps(TxSqlPack.class);
    assertThat(sqls).extracting(TxSqlPack::fetch).containsExactly(1, 2);
  }

  @Test
  void anUpdateCountsTheRowsItChanged() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection();
          PreparedStatement p = c.prepareStatement("update items set name = name where id <= ?")) {
        p.setInt(1, 4);
        assertThat(p.executeUpdate()).isEqualTo(4);
      }
    });
    assertThat(onlySql(tx).fetch()).isEqualTo(4);
  }

  @Test
  void executeOfAnUpdateAndOfAQueryRecordCountAndRows() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        assertThat(s.execute("update items set name = name where id in (1, 2)")).isFalse();
        assertThat(s.execute("select id from items where id in (1, 2, 3)")).isTrue();
        try (ResultSet rs = s.getResultSet()) {
          while (rs.next()) {
            rs.getInt(1);
          }
        }
      }
    });
    List<TxSqlPack> sqls = tx.steps(TxSqlPack.class);
    assertThat(sqls).extracting(TxSqlPack::sql).containsExactly(
        "update items set name = name where id in (?, ?)", "select id from items where id in (?, ?, ?)");
    assertThat(sqls).extracting(TxSqlPack::fetch).containsExactly(2, 3);
  }

  @Test
  void aBatchIsOneStepWithTheSumOfItsCounts() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection()) {
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
    });
    List<TxSqlPack> sqls = tx.steps(TxSqlPack.class);
    assertThat(sqls).hasSize(2);
    assertThat(sqls.get(0).sql()).isEqualTo("insert into items (id, name) values (?, ?)");
    assertThat(sqls.get(0).fetch()).isEqualTo(3);
    assertThat(sqls.get(1).sql()).isEqualTo("delete from items where id = ?;\ndelete from items where id >= ? and id < ?");
    assertThat(sqls.get(1).fetch()).isEqualTo(3);
  }

  @Test
  void aCallableStatementIsRecorded() throws Exception {
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection(); CallableStatement call = c.prepareCall(callableSql())) {
        call.setString(1, "abc");
        try (ResultSet rs = call.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getString(1)).isEqualTo("ABC");
        }
      }
    });
    TxSqlPack sql = onlySql(tx);
    assertThat(sql.sql()).isEqualTo(callableSql());
    assertThat(sql.fetch()).isEqualTo(1);
  }

  /** An SQL text a CallableStatement runs on this database, returning upper(?) as one row. */
  protected String callableSql() {
    return "select upper(?)";
  }

  @Test
  void aFailingStatementIsRecordedWithTheErrorAndRethrownUnchanged() throws Exception {
    SQLException[] seen = new SQLException[1];
    ReceivedTx tx = inTransaction(() -> {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.executeQuery("select * from no_such_table where id = 42"))
            .isInstanceOf(SQLException.class)
            .satisfies(e -> seen[0] = (SQLException) e);
      }
    });
    TxSqlPack sql = onlySql(tx);
    assertThat(sql.sql()).isEqualTo("select * from no_such_table where id = ?");
    List<TxErrorPack> errors = tx.steps(TxErrorPack.class);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).errorClass()).isEqualTo(seen[0].getClass().getName());
    assertThat(errors.get(0).message()).contains("SQLState " + seen[0].getSQLState())
        .contains(seen[0].getMessage().substring(0, Math.min(20, seen[0].getMessage().length())));
    assertThat(tx.end().header()).isNotNull();
  }

  @Test
  void unwrapAndIsWrapperForReachTheDriversOwnTypes() throws Exception {
    try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement("select 1")) {
      assertThat(c.isWrapperFor(driverConnectionClass())).isTrue();
      assertThat(driverConnectionClass().isInstance(c.unwrap(driverConnectionClass()))).isTrue();
      assertThat(c.unwrap(Connection.class)).isSameAs(c);
      assertThat(p.getConnection()).isSameAs(c);
      try (ResultSet rs = p.executeQuery()) {
        assertThat(rs.getStatement()).isSameAs(p);
      }
    }
  }

  @Test
  void literalsAndBindValuesAreSentOnlyWhenAskedFor() throws Exception {
    Whatap.configure(Map.of("profile_sql_literals", "true", "profile_sql_params", "true",
        "profile_sql_param_max", "5"));
    ReceivedTx tx;
    try {
      tx = inTransaction(() -> {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
          s.executeQuery("select id from items where name = 'item-1'").close();
          try (PreparedStatement p = c.prepareStatement("select id from items where name = ? or id = ?")) {
            p.setString(1, "a-long-value");
            p.setInt(2, 7);
            p.executeQuery().close();
          }
        }
      });
    } finally {
      Whatap.configure(Map.of("profile_sql_literals", "false", "profile_sql_params", "false"));
    }
    List<TxSqlPack> sqls = tx.steps(TxSqlPack.class);
    assertThat(sqls).extracting(TxSqlPack::sql).containsExactly(
        "select id from items where name = 'item-1'", "select id from items where name = ? or id = ?");
    List<TxMsgPack> params = tx.steps(TxMsgPack.class);
    assertThat(params).hasSize(1);
    assertThat(params.get(0).title()).isEqualTo("SQL-PARAMS");
    assertThat(params.get(0).description()).isEqualTo("1='a-lo...\n2=7");

    ReceivedTx quiet = inTransaction(() -> {
      try (Connection c = dataSource.getConnection();
          PreparedStatement p = c.prepareStatement("select id from items where name = ?")) {
        p.setString(1, "hidden-value");
        p.executeQuery().close();
      }
    });
    assertThat(quiet.steps(TxMsgPack.class)).isEmpty();
    assertThat(quiet.packs().toString()).doesNotContain("hidden-value");
  }

  @Test
  void theFetchCountMessageFollowsAQueryOnlyWhenAskedFor() throws Exception {
    Whatap.configure(Map.of("profile_sql_fetch_message", "true"));
    ReceivedTx tx;
    try {
      tx = inTransaction(() -> {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
            ResultSet rs = s.executeQuery("select id from items where id <= 4")) {
          while (rs.next()) {
            rs.getInt(1);
          }
        }
      });
    } finally {
      Whatap.configure(Map.of("profile_sql_fetch_message", "false"));
    }
    List<Pack> steps = tx.steps();
    int sqlAt = steps.indexOf(onlySql(tx));
    assertThat(steps.get(sqlAt + 1)).isInstanceOfSatisfying(TxMsgPack.class, m -> {
      assertThat(m.title()).isEqualTo("Fetch count");
      assertThat(m.value()).isEqualTo("4");
    });
  }

  @Test
  void noPackEverCarriesACredential() throws Exception {
    inTransaction(() -> {
      try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
        s.executeQuery("select 1").close();
      }
    });
    assertNoSecrets(null);
  }

  /** Every pack received so far (or of {@code tx}), printed field by field, contains no secret. */
  protected void assertNoSecrets(ReceivedTx tx) {
    List<Pack> packs = tx == null ? receiver.packs() : tx.packs();
    assertThat(packs).isNotEmpty();
    String all = packs.toString();
    for (String secret : secrets()) {
      assertThat(all).doesNotContain(secret);
    }
    assertThat(all.toLowerCase()).doesNotContain("password");
  }

  protected static TxSqlPack onlySql(ReceivedTx tx) {
    List<TxSqlPack> sqls = tx.steps(TxSqlPack.class);
    assertThat(sqls).as("TX_SQL steps of %s", tx).hasSize(1);
    return sqls.get(0);
  }
}
