package com.acme.jdbc;

import io.whatap.Whatap;
import io.whatap.jdbc.WhatapJdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * An application that also wraps its DataSource with its own copy of whatap-jdbc (library mode):
 * under {@code hook_method_patterns=com.acme.jdbc.WrappedScenario.*}, {@code run} is a transaction
 * of the javaagent. The wrappers record what their copy of whatap-api sees; the agent must not record
 * the same execution again. Prints whether the library's copy sees the agent's transaction (true once
 * an application's whatap-api finds the javaagent's instance).
 */
public final class WrappedScenario {
  private WrappedScenario() { }

  public static void run(DataSource plain) throws SQLException {
    DataSource ds = WhatapJdbc.wrap(plain);
    System.out.println("library-sees-transaction " + (Whatap.currentTransaction().txid() != 0));
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select id from items where id <= 2")) {
      while (rs.next()) {
        rs.getInt(1);
      }
    }
  }
}
