package io.whatap.wire;

/** TX_PARAM: the answer to a back-channel request, echoing its request id. No transaction header. */
public record TxParamPack(String paramId, String requestId, String data) implements Pack {
  @Override
  public int type() {
    return PackType.TX_PARAM;
  }
}
