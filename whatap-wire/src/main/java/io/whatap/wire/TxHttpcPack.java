package io.whatap.wire;

/** TX_HTTPC: an outgoing HTTP call; {@code stepId} is the txid handed to the callee. */
public record TxHttpcPack(TxHeader header, String url, long stepId, String driver) implements Pack {
  public TxHttpcPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_HTTPC;
  }
}
