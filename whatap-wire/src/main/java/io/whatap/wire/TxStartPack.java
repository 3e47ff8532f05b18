package io.whatap.wire;

/** TX_START: a transaction began ({@code header.time} is its start). */
public record TxStartPack(TxHeader header, String host, String uri, String ipaddr, String userAgent, String referer,
    String wClientId, boolean staticContents, String httpMethod) implements Pack {
  public TxStartPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
  }

  @Override
  public int type() {
    return PackType.TX_START;
  }
}
