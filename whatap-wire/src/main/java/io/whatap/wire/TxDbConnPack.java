package io.whatap.wire;

/** TX_DB_CONN: a database connection was obtained ({@code header.elapsed} is the connect time). */
public record TxDbConnPack(TxHeader header, String dbc) implements Pack {
  public TxDbConnPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_DB_CONN;
  }
}
