package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Our encoder and decoder against the bytes golib's own encoder produced. */
class GoldenVectorsTest {

  static Stream<Golden.Vector> vectors() {
    return Golden.vectors().stream();
  }

  @Test
  void fileHoldsSixteenVectorsAllOfVersion20106() {
    assertThat(Golden.vectors()).hasSize(16);
    assertThat(Golden.vectors()).allSatisfy(v -> assertThat(v.version()).isEqualTo(PackType.VERSION));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void encodingTheFieldsGivesTheGoldenBytes(Golden.Vector v) {
    WireWriter out = new WireWriter(64);
    PackEncoder.encode(Golden.input(v), out);
    assertThat(Golden.hex(out.toByteArray())).isEqualTo(Golden.hex(v.bytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void decodingTheGoldenBytesGivesTheFields(Golden.Vector v) {
    DecodeResult r = PackDecoder.decode(v.bytes());
    assertThat(r.error()).isNull();
    assertThat(r.unknownFrames()).isZero();
    assertThat(r.packs()).containsExactly(Golden.decoded(v));
    assertThat(r.packs().get(0).type()).isEqualTo(v.type());
  }

  @Test
  void theLongUriIsCutAtTheUriLimit() {
    Golden.Vector v = byType(PackType.TX_START, "longer than");
    TxStartPack p = (TxStartPack) PackDecoder.decode(v.bytes()).packs().get(0);
    assertThat(p.uri()).hasSize(WireLimits.URI).startsWith("/a").matches("/a+");
  }

  @Test
  void allVectorsInOneDatagramDecodeInOrder() {
    WireWriter out = new WireWriter(64);
    for (Golden.Vector v : Golden.vectors()) {
      out.writeBytes(v.bytes(), 0, v.bytes().length);
    }
    DecodeResult r = PackDecoder.decode(out.array(), 0, out.size());
    assertThat(r.error()).isNull();
    assertThat(r.framesRead()).isEqualTo(16);
    assertThat(r.packs()).containsExactlyElementsOf(Golden.vectors().stream().map(Golden::decoded).toList());
  }

  @Test
  void relayedTagCountPackMatchesGolibByteForByte() {
    Golden.Vector v = byType(PackType.RELAY_PACK, "");
    byte[] relayed = Golden.hex(v.fields().get("relayed_pack_hex").asText());
    assertThat(Golden.hex(PackEncoder.encodeTagCount(Golden.relayedTagCount(v)))).isEqualTo(Golden.hex(relayed));
  }

  @Test
  void tagHashIsGolibHash64OfTheSerializedTagMap() {
    TagCountPack p = Golden.relayedTagCount(byType(PackType.RELAY_PACK, ""));
    // bytes 00ff00ff432d9c94 after the decimal width 08 in the relayed pack
    assertThat(PackEncoder.tagHash(p.tags())).isEqualTo(0x00ff00ff432d9c94L);
  }

  @Test
  void relayDecodingKeepsGolibsMapOrderAndValueTypes() {
    RelayPack relay = (RelayPack) PackDecoder.decode(byType(PackType.RELAY_PACK, "").bytes()).packs().get(0);
    TagCountPack t = relay.tagCount();
    assertThat(t.category()).isEqualTo("app_counter");
    assertThat(t.tags().keySet()).containsExactly("app", "pid", "oid");
    assertThat(t.fields().keySet())
        .containsExactly("tps_x1000", "resp_time_avg_ms", "active", "cpu_pct", "state", "gc_alert");
    assertThat(t.fields().get("active")).isInstanceOf(Integer.class);
    assertThat(t.fields().get("tps_x1000")).isInstanceOf(Long.class);
    assertThat(t.fields().get("cpu_pct")).isInstanceOf(Float.class);
    assertThat(t.fields().get("resp_time_avg_ms")).isInstanceOf(Double.class);
    assertThat(t.fields().get("gc_alert")).isEqualTo(Boolean.FALSE);
    assertThat(t.tags().get("oid")).isEqualTo(0L);
  }

  private static Golden.Vector byType(int type, String nameContains) {
    List<Golden.Vector> found = Golden.vectors().stream()
        .filter(v -> v.type() == type && v.name().contains(nameContains)).toList();
    assertThat(found).hasSize(1);
    return found.get(0);
  }
}
