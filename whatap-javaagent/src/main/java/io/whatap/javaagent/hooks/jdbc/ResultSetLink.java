package io.whatap.javaagent.hooks.jdbc;

import io.whatap.jdbc.internal.StatementState;

/**
 * Kept on a ResultSet a recorded query returned: the statement whose step counts its rows and the
 * execution it belongs to (a ResultSet of an earlier execution must not count into a later one).
 * What library mode's {@code TracedResultSet} holds, without the wrapper.
 */
final class ResultSetLink {
  final StatementState statement;
  final int execution;

  ResultSetLink(StatementState statement, int execution) {
    this.statement = statement;
    this.execution = execution;
  }
}
