package io.whatap.wire;

/** TX_ERROR: an error recorded against the transaction. */
public record TxErrorPack(TxHeader header, String errorClass, String message, String stack) implements Pack {
  public TxErrorPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_ERROR;
  }
}
