package io.whatap.wire;

/** TX_METHOD: a profiled method call. */
public record TxMethodPack(TxHeader header, String method, String stack) implements Pack {
  public TxMethodPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_METHOD;
  }
}
