package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextMemoTest {
  private static byte[] startAndEnd(long txid, String host, String uri, String ip, String method) {
    WireWriter w = new WireWriter(256);
    PackEncoder.txStart(w, txid, 1000, 0, 0, 0, 42, 7, host, uri, ip, "curl/8", "", "", false, method);
    PackEncoder.txEnd(w, txid, 1003, 0, 0, 0, 42, 7, host, uri, 0, 0, 0, 0, "", "", "", 200, false, 0);
    return w.toByteArray();
  }

  @Test
  void repeatedFieldsComeBackAsTheSameInstanceAndChangedOnesAsTheirNewValue() {
    TextMemo memo = new TextMemo();
    byte[] one = startAndEnd(1, "a.example:80", "/orders", "10.0.0.1", "GET");
    List<Pack> first = PackDecoder.decode(one, 0, one.length, memo).packs();
    byte[] second = startAndEnd(2, "a.example:80", "/users", "10.0.0.1", "GET");
    List<Pack> next = PackDecoder.decode(second, 0, second.length, memo).packs();

    TxStartPack s1 = (TxStartPack) first.get(0);
    TxEndPack e1 = (TxEndPack) first.get(1);
    TxStartPack s2 = (TxStartPack) next.get(0);
    TxEndPack e2 = (TxEndPack) next.get(1);
    assertThat(s2.host()).isEqualTo("a.example:80").isSameAs(s1.host()).isSameAs(e1.host());
    assertThat(s2.ipaddr()).isSameAs(s1.ipaddr());
    assertThat(s2.httpMethod()).isSameAs(s1.httpMethod());
    assertThat(s2.uri()).isEqualTo("/users");
    assertThat(e2.uri()).isEqualTo("/users").isSameAs(s2.uri());
    assertThat(e1.uri()).isEqualTo("/orders");
  }

  @Test
  void aMemoDecodesExactlyWhatThePlainDecoderDoes() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    String longUri = "/" + "x".repeat(TextMemo.MAX_BYTES + 10);
    String[][] rows = {
      {"h:1", "/a", "1.1.1.1", "GET"}, {"h:1", "/a", "1.1.1.1", "GET"}, {"h:1", "/ab", "1.1.1.1", "POST"},
      {"h:2", "/a", "1.1.1.2", "GET"}, {"h:1", "", "", ""}, {"한국어", longUri, "::1", "GET"},
      {"한국어", longUri, "::1", "GET"}, {"h:1", "/a", "1.1.1.1", "GET"},
    };
    long txid = 1;
    for (String[] r : rows) {
      all.writeBytes(startAndEnd(txid++, r[0], r[1], r[2], r[3]));
    }
    for (Golden.Vector v : Golden.vectors()) {
      all.writeBytes(v.bytes());
    }
    byte[] datagram = all.toByteArray();
    DecodeResult plain = PackDecoder.decode(datagram, 0, datagram.length);
    TextMemo memo = new TextMemo();
    DecodeResult memoized = PackDecoder.decode(datagram, 0, datagram.length, memo);
    DecodeResult again = PackDecoder.decode(datagram, 0, datagram.length, memo);
    assertThat(plain.ok()).isTrue();
    assertThat(memoized.packs()).isEqualTo(plain.packs());
    assertThat(again.packs()).isEqualTo(plain.packs());
  }
}
