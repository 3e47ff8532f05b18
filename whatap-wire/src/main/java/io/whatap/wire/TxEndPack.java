package io.whatap.wire;

/**
 * TX_END: a transaction ended ({@code header.time} is its end). The m* fields identify the caller in a
 * multi-transaction trace; {@code llm} and {@code mcallerStepId} exist from version 20105 and 20106.
 */
public record TxEndPack(TxHeader header, String host, String uri, long mtid, int mdepth, long mcallerTxid,
    long mcallerPcode, String mcallerSpec, String mcallerUrl, String mcallerPoidKey, int status,
    boolean llm, long mcallerStepId) implements Pack {
  public TxEndPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_END;
  }
}
