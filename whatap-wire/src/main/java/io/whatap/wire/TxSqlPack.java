package io.whatap.wire;

/** TX_SQL: one statement; {@code fetch} is the row count (0 when unknown). */
public record TxSqlPack(TxHeader header, String dbc, String sql, int fetch) implements Pack {
  public TxSqlPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_SQL;
  }
}
