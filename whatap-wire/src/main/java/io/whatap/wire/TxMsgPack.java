package io.whatap.wire;

/** TX_MSG: a free message step (title, value, description). */
public record TxMsgPack(TxHeader header, String title, String value, String description) implements Pack {
  public TxMsgPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_MSG;
  }
}
