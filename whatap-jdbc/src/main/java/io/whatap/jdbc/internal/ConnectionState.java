package io.whatap.jdbc.internal;

/**
 * What the steps of one connection share: its URL without credentials, and the statements whose
 * query step waits for its row count (so that closing the connection records them).
 */
public final class ConnectionState {
  /** The JDBC URL without user, password or any credential-like parameter. */
  public final String dbc;
  /** Head of the intrusive list of statements with a pending step (no allocation per query). */
  StatementState pendingHead;

  public ConnectionState(String dbc) {
    this.dbc = dbc;
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
