package io.whatap.wire;

/**
 * TX_START_END (golib UdpTxStartEndPack): start and end in one pack. The Python layout has no
 * HTTP method, status or step id, in every version golib reads.
 */
public record TxStartEndPack(TxHeader header, String host, String uri, String ipaddr, String userAgent, String referer,
        String wClientId, boolean staticContents, long mtid, int mdepth, long mcallerTxid,
        long mcallerPcode, String mcallerSpec, String mcallerUrl, String mcallerPoidKey) implements Pack {
    public TxStartEndPack {
        if (header == null) {
            header = TxHeader.ZERO;
        }
    }

    @Override
    public int type() {
        return PackType.TX_START_END;
    }
}
