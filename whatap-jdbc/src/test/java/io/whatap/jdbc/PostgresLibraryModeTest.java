package io.whatap.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.jdbc.testing.JdbcStepsScenarios;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxDbConnPack;
import io.whatap.wire.TxErrorPack;
import java.sql.SQLException;
import io.whatap.jdbc.testing.PostgresServer;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.junit.jupiter.api.Test;

/** The JDBC scenarios in library mode against a real PostgreSQL server (the URL carries the password). */
class PostgresLibraryModeTest extends JdbcStepsScenarios {
  private PostgresServer server;

  @Override
  protected DataSource startDatabase() throws Exception {
    server = PostgresServer.start();
    PGSimpleDataSource raw = new PGSimpleDataSource();
    raw.setURL(server.urlWithCredentials());
    return WhatapJdbc.wrap(raw);
  }

  @Override
  protected void stopDatabase() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected List<String> secrets() {
    return List.of(PostgresServer.PASSWORD, PostgresServer.USER);
  }

  @Override
  protected Class<?> driverConnectionClass() {
    return PGConnection.class;
  }

  @Override
  protected String expectedDbcPrefix() {
    return "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
  }

  @Test
  void aRefusedLoginIsAConnectStepWithTheErrorAndNoPassword() throws Exception {
    String wrong = "wrong-Pw-31337";
    PGSimpleDataSource raw = new PGSimpleDataSource();
    raw.setURL("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres?user=" + PostgresServer.USER
        + "&password=" + wrong);
    DataSource traced = WhatapJdbc.wrap(raw);
    SQLException[] seen = new SQLException[1];
    ReceivedTx tx = inTransaction(() -> assertThatThrownBy(traced::getConnection)
        .isInstanceOf(SQLException.class).satisfies(e -> seen[0] = (SQLException) e));
    assertThat(tx.steps(TxDbConnPack.class)).hasSize(1);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo(seen[0].getClass().getName());
      assertThat(e.message()).startsWith("[SQLState " + seen[0].getSQLState() + "]");
    });
    assertThat(tx.packs().toString()).doesNotContain(wrong);
  }
}
