package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * TX_START_END in the Go family's layout (golib UdpTxStartEndPack, Ver > 50000): the bytes built here
 * field by field, after golib's reader, not by our encoder.
 */
class GoStartEndLayoutTest {
  private static void text(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeShort(b.length);
    d.write(b);
  }

  private static byte[] goFrame(int version) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(body);
    d.writeLong(123456789012345L); // txid
    d.writeLong(1764000000123L); // time: the start
    d.writeInt(42); // elapsed
    d.writeLong(3); // cpu
    d.writeLong(0); // mem
    d.writeInt(4242); // pid
    d.writeLong(77); // thread
    text(d, "shop.example:8080");
    text(d, "/orders/{id}");
    text(d, "10.0.0.1");
    text(d, "curl/8");
    text(d, "");
    text(d, "");
    text(d, "PUT"); // HttpMethod
    text(d, "9"); // mtid
    text(d, "1"); // mdepth
    text(d, "555"); // mcallerTxid
    text(d, ""); // mcallerPcode
    text(d, "v1");
    text(d, "/caller");
    text(d, "");
    if (version >= 50100) {
      text(d, "204"); // status
    }
    if (version >= 50101) {
      text(d, "31"); // mcallerStepId
      text(d, ""); // xTraceId
    }
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    DataOutputStream f = new DataOutputStream(frame);
    f.writeByte(PackType.TX_START_END);
    f.writeInt(version);
    f.writeInt(body.size());
    f.write(body.toByteArray());
    return frame.toByteArray();
  }

  @Test
  void ourEncoderWritesTheGoLayoutByteForByte() throws IOException {
    WireWriter w = new WireWriter(256);
    PackEncoder.txStartEndGo(w, 123456789012345L, 1764000000123L, 42, 3, 0, 4242, 77, "shop.example:8080",
        "/orders/{id}", "10.0.0.1", "curl/8", "", "", "PUT", 9, 1, 555, 0, "v1", "/caller", "", 204, 31);
    assertThat(Arrays.copyOf(w.array(), w.size())).isEqualTo(goFrame(PackType.GO_START_END_VERSION));
  }

  @Test
  void theDecoderReadsEachGoVersionsFields() throws IOException {
    for (int version : new int[] {50001, 50100, 50101}) {
      DecodeResult r = PackDecoder.decode(goFrame(version));
      assertThat(r.ok()).as(r.error()).isTrue();
      TxStartEndPack p = (TxStartEndPack) r.packs().get(0);
      assertThat(p.header()).isEqualTo(new TxHeader(123456789012345L, 1764000000123L, 42, 3, 0, 4242, 77));
      assertThat(p.host()).isEqualTo("shop.example:8080");
      assertThat(p.uri()).isEqualTo("/orders/{id}");
      assertThat(p.userAgent()).isEqualTo("curl/8");
      assertThat(p.httpMethod()).isEqualTo("PUT");
      assertThat(p.staticContents()).isFalse();
      assertThat(p.mtid()).isEqualTo(9);
      assertThat(p.mdepth()).isEqualTo(1);
      assertThat(p.mcallerTxid()).isEqualTo(555);
      assertThat(p.mcallerSpec()).isEqualTo("v1");
      assertThat(p.mcallerUrl()).isEqualTo("/caller");
      assertThat(p.status()).isEqualTo(version >= 50100 ? 204 : 0);
      assertThat(p.mcallerStepId()).isEqualTo(version >= 50101 ? 31 : 0);
    }
  }

  @Test
  void otherGoFamilyTransactionFramesAreStillSkipped() {
    WireWriter w = new WireWriter(256);
    int mark = w.beginFrame(PackType.TX_START, PackType.GO_START_END_VERSION);
    w.writeTxHeader(1, 2, 0, 0, 0, 3, 4);
    w.endFrame(mark);
    DecodeResult r = PackDecoder.decode(Arrays.copyOf(w.array(), w.size()));
    assertThat(r.ok()).isTrue();
    assertThat(r.packs()).singleElement().isInstanceOf(UnknownPack.class);
    assertThat(r.unknownFrames()).isEqualTo(1);
  }
}
