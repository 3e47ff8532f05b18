package io.whatap.jdbc;

import io.whatap.jdbc.testing.JdbcStepsScenarios;
import io.whatap.jdbc.testing.PostgresServer;
import java.util.List;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

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
}
