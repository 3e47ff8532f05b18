package io.whatap.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.util.AgentLog;
import org.junit.jupiter.api.Test;

/** The recorder never throws into the application, whatever state it is handed. */
class RecorderFaultTest {
  @Test
  void aBrokenStateIsCountedAndLoggedNeverThrown() {
    Transaction tx = Whatap.startTransaction("/recorder-fault");
    try {
      StatementState broken = new StatementState(null, "select 1"); // no connection: linking fails
      long before = AgentLog.get().errorCount();
      assertThatCode(() -> {
        JdbcRecorder.beforeExecute(broken, null);
        JdbcRecorder.afterQuery(broken);
        JdbcRecorder.nextRow(broken, broken.execution(), true);
        JdbcRecorder.resultSetClosing(broken, broken.execution());
        JdbcRecorder.executeFailed(broken, new java.sql.SQLException("x", "42000"));
        JdbcRecorder.afterBatch(broken, new int[] {1});
        JdbcRecorder.connectionClosing(new ConnectionState("jdbc:x"));
      }).doesNotThrowAnyException();
      assertThat(AgentLog.get().errorCount()).isGreaterThan(before);
    } finally {
      tx.end();
    }
  }
}
