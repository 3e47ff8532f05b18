package io.whatap.jdbc;

import io.whatap.jdbc.testing.JdbcStepsScenarios;
import java.sql.Connection;
import java.sql.Driver;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.h2.jdbc.JdbcConnection;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The JDBC scenarios in library mode against H2, and the Driver way in. */
class H2LibraryModeTest extends JdbcStepsScenarios {
  private static final String SECRET = "h2-Secr3t-77aa";

  @Override
  protected DataSource startDatabase() {
    JdbcDataSource raw = new JdbcDataSource();
    raw.setURL("jdbc:h2:mem:libmode;DB_CLOSE_DELAY=-1;MODE=PostgreSQL");
    raw.setUser("sa");
    raw.setPassword(SECRET);
    return WhatapJdbc.wrap(raw);
  }

  @Override
  protected void stopDatabase() { }

  @Override
  protected List<String> secrets() {
    return List.of(SECRET);
  }

  @Override
  protected Class<?> driverConnectionClass() {
    return JdbcConnection.class;
  }

  @Override
  protected String expectedDbcPrefix() {
    return "jdbc:h2:mem:libmode";
  }

  @Test
  void aWrappedDriverRecordsTheConnectWithoutTheCredentialsInItsUrl() throws Exception {
    Driver driver = WhatapJdbc.wrap(new org.h2.Driver());
    var tx = inTransaction(() -> {
      try (Connection c = driver.connect("jdbc:h2:mem:viadriver;USER=sa;PASSWORD=" + SECRET, new Properties())) {
        c.createStatement().executeQuery("select 1").close();
      }
    });
    assertThat(tx.steps(io.whatap.wire.TxDbConnPack.class)).extracting(p -> p.dbc())
        .containsExactly("jdbc:h2:mem:viadriver");
    assertThat(onlySql(tx).dbc()).isEqualTo("jdbc:h2:mem:viadriver");
    assertNoSecrets(tx);
  }
}
