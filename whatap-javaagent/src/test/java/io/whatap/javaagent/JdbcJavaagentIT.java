package io.whatap.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.jdbc.testing.PostgresServer;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.Pack;
import io.whatap.wire.TxDbConnPack;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxSqlPack;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * JDBC under {@code -javaagent} with no code change: {@code com.acme.jdbc.JdbcApp} (plain JDBC, no
 * WhaTap code) runs the scenarios of whatap-jdbc's library-mode tests in a child JVM whose only
 * addition is the agent, against H2 and a real PostgreSQL server (whatap-jdbc's {@code PostgresServer},
 * started here), through the driver's own DataSource and through a HikariCP pool (a proxy statement
 * over the driver's: still one step per execution). The packs are read from a real UDP receiver.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JdbcJavaagentIT {
  private static final String SCENARIOS = "com.acme.jdbc.JdbcScenarios.";
  private static final String H2_SECRET = "h2-Secr3t-77aa";
  private static final String H2_URL = "jdbc:h2:mem:agent;DB_CLOSE_DELAY=-1;MODE=PostgreSQL";

  private PostgresServer postgres;

  @BeforeAll
  void startPostgres() throws Exception {
    postgres = PostgresServer.start();
  }

  @AfterAll
  void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void h2ThroughItsDataSource() throws Exception {
    Run run = run("h2-datasource", List.of("h2", H2_URL, "sa", H2_SECRET), false);
    assertScenarios(run, "jdbc:h2:mem:agent", List.of(H2_SECRET));
  }

  @Test
  void h2ThroughAHikariPoolIsRecordedOncePerExecution() throws Exception {
    Run run = run("h2-hikari", List.of("hikari", H2_URL, "sa", H2_SECRET), false);
    assertScenarios(run, "jdbc:h2:mem:agent", List.of(H2_SECRET));
  }

  @Test
  void postgresqlThroughItsDataSourceWithTheCredentialsInTheUrl() throws Exception {
    Run run = run("pg-datasource", List.of("postgresql", postgres.urlWithCredentials(), "", ""), false);
    assertScenarios(run, "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
        List.of(PostgresServer.PASSWORD, PostgresServer.USER));
  }

  @Test
  void postgresqlThroughAHikariPool() throws Exception {
    Run run = run("pg-hikari", List.of("hikari", postgres.urlWithCredentials(), "", ""), false);
    assertScenarios(run, "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres",
        List.of(PostgresServer.PASSWORD, PostgresServer.USER));
  }

  @Test
  void aDataSourceWrappedByTheApplicationsWhatapJdbcIsNotRecordedAgain() throws Exception {
    Run run = run("h2-wrapped", List.of("h2", H2_URL, "sa", H2_SECRET, "wrapped"), true);
    boolean librarySees = Boolean.parseBoolean(ItSupport.awaitLine(run.output, "library-sees-transaction", run.process));
    ReceivedTx tx = tx(run, "com.acme.jdbc.WrappedScenario.run");
    // the library's wrappers record in the transaction they see; the agent's hooks stay out of it
    int expected = librarySees ? 1 : 0;
    assertThat(tx.steps(TxSqlPack.class)).as("%s", tx).hasSize(expected);
    assertThat(tx.steps(TxDbConnPack.class)).as("%s", tx).hasSize(expected);
    assertScenarios(run, "jdbc:h2:mem:agent", List.of(H2_SECRET));
  }

  private void assertScenarios(Run run, String dbcPrefix, List<String> secrets) throws Exception {
    ReceivedTx connect = tx(run, "connect");
    assertThat(connect.steps(TxDbConnPack.class)).as("%s", connect).singleElement()
        .satisfies(c -> assertThat(c.dbc()).startsWith(dbcPrefix));

    TxSqlPack plain = onlySql(tx(run, "plainQuery"));
    assertThat(plain.sql()).isEqualTo("select id, name from items where name <> ? and id > ? order by id");
    assertThat(plain.fetch()).isEqualTo(7);
    assertThat(plain.dbc()).startsWith(dbcPrefix);

    TxSqlPack partly = onlySql(tx(run, "readPartlyAndClosed"));
    assertThat(partly.sql()).isEqualTo("select id from items where id <= ? order by id");
    assertThat(partly.fetch()).isEqualTo(3);

    assertThat(onlySql(tx(run, "leftOpenUntilConnectionClose")).fetch()).isEqualTo(2);

    assertThat(tx(run, "executedAgain").steps(TxSqlPack.class)).extracting(TxSqlPack::fetch).containsExactly(1, 2);

    assertThat(ItSupport.read(run.output)).contains("update-count 4");
    assertThat(onlySql(tx(run, "update")).fetch()).isEqualTo(4);

    List<TxSqlPack> both = tx(run, "executeUpdateThenQuery").steps(TxSqlPack.class);
    assertThat(both).extracting(TxSqlPack::sql).containsExactly(
        "update items set name = name where id in (?, ?)", "select id from items where id in (?, ?, ?)");
    assertThat(both).extracting(TxSqlPack::fetch).containsExactly(2, 3);

    List<TxSqlPack> batches = tx(run, "batches").steps(TxSqlPack.class);
    assertThat(batches).extracting(TxSqlPack::sql).containsExactly("insert into items (id, name) values (?, ?)",
        "delete from items where id = ?;\ndelete from items where id >= ? and id < ?");
    assertThat(batches).extracting(TxSqlPack::fetch).containsExactly(3, 3);

    assertThat(ItSupport.read(run.output)).contains("callable-result ABC");
    TxSqlPack call = onlySql(tx(run, "callable"));
    assertThat(call.sql()).isEqualTo("select upper(?)");
    assertThat(call.fetch()).isEqualTo(1);

    String[] caught = ItSupport.awaitLine(run.output, "failing-caught", run.process).split(" ");
    ReceivedTx failing = tx(run, "failing");
    assertThat(onlySql(failing).sql()).isEqualTo("select * from no_such_table where id = ?");
    assertThat(failing.steps(TxErrorPack.class)).as("%s", failing).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo(caught[0]);
      assertThat(e.message()).startsWith("[SQLState " + caught[1] + "]");
    });

    List<Pack> all = run.receiver.packs();
    assertThat(all).isNotEmpty();
    String printed = all.toString();
    for (String secret : secrets) {
      assertThat(printed).doesNotContain(secret);
    }
    assertThat(printed.toLowerCase()).doesNotContain("password");
    run.receiver.close();
  }

  private static ReceivedTx tx(Run run, String scenario) throws Exception {
    String name = scenario.contains(".") ? scenario : SCENARIOS + scenario;
    return ItSupport.awaitNamed(run.receiver, name, 1, run.home).get(0);
  }

  private static TxSqlPack onlySql(ReceivedTx tx) {
    List<TxSqlPack> sqls = tx.steps(TxSqlPack.class);
    assertThat(sqls).as("TX_SQL steps of %s", tx).hasSize(1);
    return sqls.get(0);
  }

  private record Run(UdpTestReceiver receiver, Process process, Path output, Path home) { }

  /** Runs JdbcApp with only the agent added and waits for it to finish. */
  private static Run run(String name, List<String> appArgs, boolean withWhatapJdbc) throws Exception {
    Path work = ItSupport.work("jdbc-" + name);
    Path home = work.resolve("home");
    Path output = work.resolve("child.out");
    Path classes = ItSupport.copyClasses(work.resolve("classes"), "com/acme/jdbc");
    String classPath = classes + File.pathSeparator + ItSupport.classPathFrom("javaagent.jdbc.classpath");
    if (withWhatapJdbc) {
      classPath += File.pathSeparator + ItSupport.classPathFrom("javaagent.whatap-jdbc.classpath");
    }
    UdpTestReceiver receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.add("-Dwhatap.hook_method_patterns=com.acme.jdbc.JdbcScenarios.*,com.acme.jdbc.WrappedScenario.*");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classPath);
    command.add("com.acme.jdbc.JdbcApp");
    command.addAll(appArgs);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    boolean exited = process.waitFor(ItSupport.WAIT.toSeconds(), TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    assertThat(exited).as("the application ended: %s", ItSupport.read(output)).isTrue();
    assertThat(process.exitValue()).as(ItSupport.read(output) + ItSupport.agentLog(home)).isZero();
    assertThat(ItSupport.read(output)).contains("jdbc-app done");
    return new Run(receiver, process, output, home);
  }
}
