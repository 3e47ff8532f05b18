package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The encoder writes repeated texts through the writer's slots: a writer reused for many
 * transactions (the sender's) must produce, frame for frame, what a fresh writer produces.
 */
class EncoderSlotsTest {
  private static final String HOST = "shop.example.com:8080";
  private static final String URI = "/orders/{id}";
  private static final String UA = "Mozilla/5.0 (X11; Linux x86_64) 한국어";

  private static void transaction(WireWriter w, long txid) {
    PackEncoder.txStart(w, txid, 1764000000123L, 0, 0, 0, 4242, 77, HOST, URI, "203.0.113.7", UA, "", "", false,
        "GET");
    PackEncoder.txCapturedHeaders(w, txid, 1764000000123L, 4242, 77, "accept=*/*\n");
    PackEncoder.txSql(w, txid, 1764000000124L, 3, 0, 0, 4242, 77, "jdbc:h2:mem:x", "SELECT 1", 1);
    PackEncoder.txStepsDropped(w, txid, 1764000000130L, 4242, 77, 12);
    PackEncoder.txEnd(w, txid, 1764000000130L, 0, 5, 0, 4242, 77, HOST, URI, 0, 0, 0, 0, null, null, null, 200,
        false, 0);
    PackEncoder.txStartEndGo(w, txid + 1, 1764000000131L, 2, 1, 0, 4242, 77, HOST, URI, "203.0.113.7", UA, "",
        "", "GET", 0, 0, 0, 0, null, null, null, 200, 0);
  }

  private static byte[] fresh(long txid) {
    WireWriter w = new WireWriter(64);
    transaction(w, txid);
    return w.toByteArray();
  }

  @Test
  void aReusedWriterWritesWhatAFreshOneWrites() {
    WireWriter reused = new WireWriter(64);
    transaction(reused, 1);
    int second = reused.size();
    transaction(reused, 3);
    byte[] all = reused.toByteArray();
    assertThat(Arrays.copyOfRange(all, 0, second)).isEqualTo(fresh(1));
    assertThat(Arrays.copyOfRange(all, second, all.length)).isEqualTo(fresh(3));

    // what the sender does when a datagram left: the frames that did not fit move to the front
    reused.moveToFront(second);
    transaction(reused, 5);
    all = reused.toByteArray();
    assertThat(Arrays.copyOfRange(all, 0, second)).isEqualTo(fresh(3));
    assertThat(Arrays.copyOfRange(all, second, all.length)).isEqualTo(fresh(5));
  }

  @Test
  void theConventionalMessagesDecodeAsTxMsg() {
    WireWriter w = new WireWriter(64);
    PackEncoder.txCapturedHeaders(w, 9, 1764000000123L, 4242, 77, "host=x\n");
    PackEncoder.txStepsDropped(w, 9, 1764000000130L, 4242, 77, 12);
    DecodeResult r = PackDecoder.decode(w.toByteArray(), 0, w.size());
    assertThat(r.packs()).extracting(p -> ((TxMsgPack) p).title(), p -> ((TxMsgPack) p).value())
        .containsExactly(
            tuple(PackEncoder.HTTP_HEADERS_TITLE, PackEncoder.HTTP_HEADERS_TITLE),
            tuple(PackEncoder.STEPS_DROPPED_TITLE, "12"));
  }
}
