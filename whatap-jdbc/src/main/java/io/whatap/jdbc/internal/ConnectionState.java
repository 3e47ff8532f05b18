package io.whatap.jdbc.internal;

import io.whatap.Transaction;

/**
 * What the steps of one connection share: its URL without credentials, and the statements whose
 * query step waits for its row count (so that closing the connection records them).
 */
public final class ConnectionState implements Runnable {
  /** The JDBC URL without user, password or any credential-like parameter. */
  public final String dbc;
  /** Head of the intrusive list of statements with a pending step (no allocation per query). */
  StatementState pendingHead;

  /** The transaction this connection's end action is registered with (once per connection and transaction). */
  Transaction endHookTx;

  public ConnectionState(String dbc) {
    this.dbc = dbc;
  }

  /**
   * The end-of-transaction action ({@link Transaction#beforeEnd}): the queries of this connection
   * still waiting for their row count are recorded with the rows read so far. Registered per
   * connection rather than per statement, and being the action itself, it costs one list node per
   * connection and transaction.
   */
  @Override
  public void run() {
    endHookTx = null;
    JdbcRecorder.connectionClosing(this);
  }

  void link(StatementState s) {
    if (s.linked) {
      return;
    }
    s.linked = true;
    s.prevPending = null;
    s.nextPending = pendingHead;
    if (pendingHead != null) {
      pendingHead.prevPending = s;
    }
    pendingHead = s;
  }

  void unlink(StatementState s) {
    if (!s.linked) {
      return;
    }
    s.linked = false;
    if (s.prevPending != null) {
      s.prevPending.nextPending = s.nextPending;
    } else if (pendingHead == s) {
      pendingHead = s.nextPending;
    }
    if (s.nextPending != null) {
      s.nextPending.prevPending = s.prevPending;
    }
    s.prevPending = null;
    s.nextPending = null;
  }
}
