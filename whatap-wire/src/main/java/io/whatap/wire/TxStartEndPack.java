package io.whatap.wire;

/**
 * TX_START_END (golib UdpTxStartEndPack): start and end in one pack. The Python layout has no HTTP
 * method, status or caller step id (they read as "", 0 and 0); the Go layout (version 50001 and up)
 * has the method, the status from 50100 and the caller step id from 50101, but no static-contents flag
 * (reads as false).
 */
public record TxStartEndPack(TxHeader header, String host, String uri, String ipaddr, String userAgent, String referer,
    String wClientId, boolean staticContents, long mtid, int mdepth, long mcallerTxid,
    long mcallerPcode, String mcallerSpec, String mcallerUrl, String mcallerPoidKey, String httpMethod, int status,
    long mcallerStepId) implements Pack {
  public TxStartEndPack {
    if (header == null) {
      header = TxHeader.ZERO;
    }
    if (httpMethod == null) {
      httpMethod = "";
    }
  }

  /** The Python layout's fields only. */
  public TxStartEndPack(TxHeader header, String host, String uri, String ipaddr, String userAgent, String referer,
      String wClientId, boolean staticContents, long mtid, int mdepth, long mcallerTxid,
      long mcallerPcode, String mcallerSpec, String mcallerUrl, String mcallerPoidKey) {
    this(header, host, uri, ipaddr, userAgent, referer, wClientId, staticContents, mtid, mdepth, mcallerTxid,
        mcallerPcode, mcallerSpec, mcallerUrl, mcallerPoidKey, "", 0, 0);
  }

  @Override
  public int type() {
    return PackType.TX_START_END;
  }
}
