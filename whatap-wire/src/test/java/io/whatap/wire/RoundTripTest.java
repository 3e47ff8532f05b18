package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundTripTest {
  private static final TxHeader H = new TxHeader(-7046029254386353131L, 1764000000123L, 1234, 56, 7890, 4242, 77);

  static List<Pack> everyRecordType() {
    return List.of(
        new TxStartPack(H, "한국.example", "/주문/😀", "::1", "ua", "https://r/", "wcid", true, "PATCH"),
        new TxEndPack(H, "h", "/u", Long.MIN_VALUE, -3, Long.MAX_VALUE, 55, "spec", "123", "poid", 599, true,
            -99),
        new TxEndPack(H, "", "", 0, 0, 0, 0, "", "", "", 0, false, 0),
        new TxDbConnPack(H, "jdbc:postgresql://db/shop"),
        new TxSqlPack(H, "jdbc:h2:mem:x", "SELECT '가' FROM dual", Integer.MAX_VALUE),
        new TxSqlPack(H, "", "", Integer.MIN_VALUE),
        new TxHttpcPack(H, "http://inventory/items/42", Long.MIN_VALUE, "okhttp"),
        new TxErrorPack(H, "java.io.IOException", "disk 😀 full", "at x.Y.z(Y.java:1)\n"),
        new TxMsgPack(H, "HTTP-HEADERS", "HTTP-HEADERS", "accept=*/*\nhost=x\n"),
        new TxMethodPack(H, "a.B.c()", "stack"),
        new TxStartEndPack(H, "host", "/uri", "10.0.0.1", "ua", "ref", "cid", false, 8812345678901234567L, 2,
            -1234567890123L, 55, "ver1.0", "/api/caller", "poid"),
        new TxParamPack("25", "req-9", "k=v"),
        new ActiveStackPack("123, 77\nat a.B.c"),
        new ActiveStatsPack(new int[] {3, 1, 0, 2, 0}),
        new ActiveStatsPack(new int[] {Integer.MIN_VALUE, -1, Integer.MAX_VALUE}),
        new ActiveStatsPack(new int[0]),
        new DbConnPoolPack("4242|jdbc:h2:mem:x|3|7"),
        new RelayPack(tagCountWithEveryValueType(), null),
        new StatsRowPack(4242, 1764000000000L, 1764000005000L, "/주문/{id}", 2, 1_000_000_000_000L, 7, 123_456_789L,
            0, Integer.MAX_VALUE, 99, 3, histogram(0, 5, 15, 16, 100, ElapsedBuckets.COUNT - 1)),
        new StatsRowPack(1, 0, 0, "", 0, 0, 0, 0, 0, 0, 0, 0, null),
        new StatsHitmapPack(4242, 1764000001000L, 1000, histogram(3, 200), histogram(200)));
  }

  /** A dense histogram with a distinct count in each of the given buckets. */
  static int[] histogram(int... buckets) {
    int[] h = new int[ElapsedBuckets.COUNT];
    for (int i = 0; i < buckets.length; i++) {
      h[buckets[i]] = i == 0 ? Integer.MAX_VALUE : i + 1;
    }
    return h;
  }

  /** Every Java type that has a golib value, at the edges of golib's decimal widths. */
  static TagCountPack tagCountWithEveryValueType() {
    Map<String, Object> tags = new LinkedHashMap<>();
    tags.put("app", "shop");
    tags.put("pid", 4242L);
    tags.put("oid", 0L);
    tags.put("ok", Boolean.TRUE);
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("null", null);
    fields.put("true", true);
    fields.put("false", false);
    fields.put("int", -7);
    fields.put("intMax", Integer.MAX_VALUE);
    long[] widths = {0, 1, -128, 127, -129, 32767, -32769, 0x7fffff, -0x800001, Integer.MAX_VALUE,
      Integer.MIN_VALUE - 1L, 0x7fffffffffL, -0x8000000001L, Long.MIN_VALUE, Long.MAX_VALUE};
    for (long w : widths) {
      fields.put("long" + w, w);
    }
    fields.put("float", 7.25f);
    fields.put("floatNaN", Float.NaN);
    fields.put("double", 12.5);
    fields.put("doubleNegInf", Double.NEGATIVE_INFINITY);
    fields.put("text", "ok 한국 😀");
    fields.put("empty", "");
    fields.put("long text", "t".repeat(300));
    fields.put("list", List.of(1, 2L, "three", List.of(4.0)));
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("inner", 1.5f);
    nested.put("deeper", Map.of("x", "y"));
    fields.put("map", nested);
    fields.put("emptyMap", Map.of());
    return new TagCountPack(55, -1, 1764000005000L, "app_counter", tags, fields);
  }

  private static DecodeResult roundTrip(Pack p) {
    WireWriter w = new WireWriter(16);
    PackEncoder.encode(p, w);
    return PackDecoder.decode(w.array(), 0, w.size());
  }

  private static Pack withRaw(Pack p) {
    if (p instanceof RelayPack r && r.raw() == null) {
      return new RelayPack(r.tagCount(), PackEncoder.encodeTagCount(r.tagCount()));
    }
    return p;
  }

  @Test
  void everyRecordTypeRoundTrips() {
    for (Pack p : everyRecordType()) {
      DecodeResult r = roundTrip(p);
      assertThat(r.error()).as("%s", p).isNull();
      assertThat(r.packs()).as("%s", p).containsExactly(withRaw(p));
    }
  }

  @Test
  void allOfThemInOneDatagram() {
    WireWriter w = new WireWriter(16);
    for (Pack p : everyRecordType()) {
      PackEncoder.encode(p, w);
    }
    DecodeResult r = PackDecoder.decode(w.array(), 0, w.size());
    assertThat(r.ok()).isTrue();
    assertThat(r.packs()).containsExactlyElementsOf(everyRecordType().stream().map(RoundTripTest::withRaw).toList());
  }

  @Test
  void tagCountKeepsOrderAndJavaTypes() {
    TagCountPack in = tagCountWithEveryValueType();
    RelayPack out = (RelayPack) roundTrip(new RelayPack(in, null)).packs().get(0);
    assertThat(out.tagCount()).isEqualTo(in);
    assertThat(out.tagCount().fields().keySet()).containsExactlyElementsOf(in.fields().keySet());
    assertThat(out.tagCount().fields().get("int")).isInstanceOf(Integer.class);
    assertThat(out.tagCount().fields().get("long0")).isInstanceOf(Long.class);
    assertThat(out.tagCount().fields().get("float")).isInstanceOf(Float.class);
    assertThat(out.tagCount().fields()).containsEntry("null", null);
  }

  @Test
  void blobsAndOtherIntegralNumbers() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("blob", new byte[] {1, 2, 3});
    fields.put("short", (short) -5);
    fields.put("big", BigInteger.valueOf(1L << 40));
    fields.put("huge", BigInteger.ONE.shiftLeft(70));
    fields.put("set", new java.util.TreeSet<>(List.of("a", "b")));
    TagCountPack in = new TagCountPack(0, 0, 0, "c", Map.of(), fields);
    TagCountPack out = ((RelayPack) roundTrip(new RelayPack(in, null)).packs().get(0)).tagCount();
    assertThat((byte[]) out.fields().get("blob")).containsExactly(1, 2, 3);
    assertThat(out.fields().get("short")).isEqualTo(-5L);
    assertThat(out.fields().get("big")).isEqualTo(1L << 40);
    assertThat(out.fields().get("huge")).isEqualTo(BigInteger.ONE.shiftLeft(70).toString());
    assertThat(out.fields().get("set")).isEqualTo(List.of("a", "b"));
  }

  @Test
  void emptyTagsHaveHashZeroLikeGolib() {
    byte[] b = PackEncoder.encodeTagCount(new TagCountPack(0, 0, 0, "", Map.of(), Map.of()));
    // type, pcode 0, oid, time, zero byte, empty category, hash 0, empty map, empty map
    assertThat(Golden.hex(b)).isEqualTo("1601" + "00" + "00000000" + "0000000000000000" + "00" + "00" + "00"
        + "5000" + "5000");
    assertThat(PackEncoder.tagHash(Map.of())).isZero();
  }

  @Test
  void selfContainingValuesAreRefusedAndLeaveNoPartialFrame() {
    List<Object> loop = new ArrayList<>();
    loop.add(loop);
    WireWriter w = new WireWriter(16);
    PackEncoder.activeStack(w, "kept");
    int before = w.size();
    TagCountPack bad = new TagCountPack(0, 0, 0, "c", Map.of(), Map.of("loop", loop));
    assertThatThrownBy(() -> PackEncoder.relayTagCount(w, bad)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nest deeper");
    assertThat(w.size()).isEqualTo(before);
  }

  @Test
  void unknownPackCannotBeEncoded() {
    assertThatThrownBy(() -> PackEncoder.encode(new UnknownPack(99, 1, 0), new WireWriter(8)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("UnknownPack");
  }

  @Test
  void nullHeaderAndNullTextsGoAsZerosAndEmpty() {
    WireWriter w = new WireWriter(8);
    PackEncoder.encode(new TxMsgPack(null, null, null, null), w);
    assertThat(PackDecoder.decode(w.toByteArray()).packs()).containsExactly(new TxMsgPack(TxHeader.ZERO, "", "", ""));
  }

  @Test
  void activeStatsTextIsBounded() {
    int[] many = new int[10_000];
    Arrays.fill(many, Integer.MIN_VALUE);
    ActiveStatsPack out = (ActiveStatsPack) roundTrip(new ActiveStatsPack(many)).packs().get(0);
    assertThat(out.bands().length).isGreaterThan(300).isLessThan(many.length);
    assertThat(out.bands()).containsOnly(Integer.MIN_VALUE);
  }

  // ---- older Python layouts, written field by field as those versions did ----

  private static WireWriter frame(int type, int version, Writes body) {
    WireWriter w = new WireWriter(16);
    int mark = w.beginFrame(type, version);
    w.writeTxHeader(H.txid(), H.time(), H.elapsed(), H.cpu(), H.mem(), H.pid(), H.threadId());
    body.to(w);
    w.endFrame(mark);
    return w;
  }

  private interface Writes {
    void to(WireWriter w);
  }

  private static Pack decodeOne(WireWriter w) {
    DecodeResult r = PackDecoder.decode(w.array(), 0, w.size());
    assertThat(r.error()).isNull();
    assertThat(r.packs()).hasSize(1);
    return r.packs().get(0);
  }

  private static void texts(WireWriter w, String... values) {
    for (String v : values) {
      w.writeText(v, 1000);
    }
  }

  @Test
  void txStartBefore20104HasNoHttpMethod() {
    Pack p = decodeOne(frame(PackType.TX_START, 20103, w -> texts(w, "h", "/u", "ip", "ua", "ref", "", "True")));
    assertThat(p).isEqualTo(new TxStartPack(H, "h", "/u", "ip", "ua", "ref", "", true, ""));
  }

  @Test
  void txEndFieldsAppearByVersion() {
    String[] base = {"h", "/u", "12", "2", "-5", "55", "spec", "url", "poid"};
    assertThat(decodeOne(frame(PackType.TX_END, 20103, w -> texts(w, base))))
        .isEqualTo(new TxEndPack(H, "h", "/u", 12, 2, -5, 55, "spec", "url", "poid", 0, false, 0));
    assertThat(decodeOne(frame(PackType.TX_END, 20104, w -> {
      texts(w, base);
      texts(w, "404");
    }))).isEqualTo(new TxEndPack(H, "h", "/u", 12, 2, -5, 55, "spec", "url", "poid", 404, false, 0));
    assertThat(decodeOne(frame(PackType.TX_END, 20105, w -> {
      texts(w, base);
      texts(w, "404", "1");
    }))).isEqualTo(new TxEndPack(H, "h", "/u", 12, 2, -5, 55, "spec", "url", "poid", 404, true, 0));
  }

  @Test
  void txSqlBefore20102HasNoFetchAndTxHttpcBefore20105NoDriver() {
    assertThat(decodeOne(frame(PackType.TX_SQL, 20101, w -> texts(w, "dbc", "SELECT 1"))))
        .isEqualTo(new TxSqlPack(H, "dbc", "SELECT 1", 0));
    assertThat(decodeOne(frame(PackType.TX_HTTPC, 20104, w -> texts(w, "http://x", "314"))))
        .isEqualTo(new TxHttpcPack(H, "http://x", 314, ""));
  }

  @Test
  void bytesAfterTheLastDeclaredFieldAreIgnored() {
    Pack p = decodeOne(frame(PackType.TX_METHOD, 20199, w -> texts(w, "m", "s", "a future field")));
    assertThat(p).isEqualTo(new TxMethodPack(H, "m", "s"));
  }

  @Test
  void numbersAsTextThatAreNotNumbersReadAsZero() {
    Pack p = decodeOne(frame(PackType.TX_END, 20106,
        w -> texts(w, "h", "/u", "12x", "99999999999", "+7", "", "s", "u", "p", "-", "yes", "9223372036854775808")));
    assertThat(p).isEqualTo(new TxEndPack(H, "h", "/u", 0, 0, 7, 0, "s", "u", "p", 0, false, 0));
  }

  @Test
  void staticContentsFollowsGoParseBool() {
    for (String t : List.of("1", "t", "T", "true", "TRUE", "True")) {
      assertThat(((TxStartPack) decodeOne(frame(PackType.TX_START, 20106,
          w -> texts(w, "", "", "", "", "", "", t, "GET")))).staticContents()).as(t).isTrue();
    }
    for (String t : List.of("", "0", "false", "yes", "tRUE", "2")) {
      assertThat(((TxStartPack) decodeOne(frame(PackType.TX_START, 20106,
          w -> texts(w, "", "", "", "", "", "", t, "GET")))).staticContents()).as(t).isFalse();
    }
  }

  @Test
  void transactionPacksOfOtherAgentFamiliesAreSkippedAsUnknown() {
    WireWriter w = frame(PackType.TX_START, 50100, x -> texts(x, "go agent layout"));
    PackEncoder.activeStack(w, "after");
    DecodeResult r = PackDecoder.decode(w.array(), 0, w.size());
    assertThat(r.error()).isNull();
    assertThat(r.unknownFrames()).isEqualTo(1);
    assertThat(r.packs().get(0)).isEqualTo(new UnknownPack(PackType.TX_START, 50100, 48 + 17));
    assertThat(r.packs().get(1)).isEqualTo(new ActiveStackPack("after"));
  }

  @Test
  void unknownTypesAreSkippedByTheirLength() {
    WireWriter w = new WireWriter(16);
    int mark = w.beginFrame(39);
    w.writeText("ACTIVE_STACK_1 is not ours", 100);
    w.endFrame(mark);
    PackEncoder.txParam(w, "1", "2", "3");
    DecodeResult r = PackDecoder.decode(w.toByteArray());
    assertThat(r.ok()).isTrue();
    assertThat(r.unknownFrames()).isEqualTo(1);
    assertThat(r.packs()).containsExactly(new UnknownPack(39, PackType.VERSION, 28), new TxParamPack("1", "2", "3"));
  }

  @Test
  void relayOfAnotherGolibPackKeepsItsBytesOnly() {
    byte[] other = {0x07, 0x00, 1, 2, 3};
    WireWriter w = new WireWriter(16);
    PackEncoder.relayRaw(w, other, 0, other.length);
    assertThat(PackDecoder.decode(w.toByteArray()).packs()).containsExactly(new RelayPack(null, other));
  }
}
