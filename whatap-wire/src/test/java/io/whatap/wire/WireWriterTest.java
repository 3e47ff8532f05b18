package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WireWriterTest {
  private static final String KOREAN = "한국어"; // 3 bytes per character
  private static final String EMOJI = "😀"; // a surrogate pair, 4 bytes

  /** The text written by writeText, as bytes, checked to be strictly valid UTF-8. */
  private static byte[] textBytes(String s, int max) {
    WireWriter w = new WireWriter(8);
    w.writeText(s, max);
    byte[] all = w.toByteArray();
    int len = ((all[0] & 0xff) << 8) | (all[1] & 0xff);
    assertThat(all).hasSize(2 + len);
    byte[] text = Arrays.copyOfRange(all, 2, all.length);
    assertStrictUtf8(text);
    return text;
  }

  private static void assertStrictUtf8(byte[] b) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
    } catch (CharacterCodingException e) {
      throw new AssertionError("invalid UTF-8: " + Golden.hex(b), e);
    }
  }

  @Test
  void textIsUnsignedShortLengthThenUtf8() {
    assertThat(Golden.hex(bytesOf(w -> w.writeText("GET", 256)))).isEqualTo("0003474554");
    assertThat(Golden.hex(bytesOf(w -> w.writeText("", 256)))).isEqualTo("0000");
    assertThat(Golden.hex(bytesOf(w -> w.writeText(null, 256)))).isEqualTo("0000");
    assertThat(textBytes("é" + KOREAN + EMOJI, 100)).isEqualTo(("é" + KOREAN + EMOJI).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void asciiOverTheLimitIsCutAtTheLimit() {
    assertThat(new String(textBytes("x".repeat(5000), WireLimits.URI), StandardCharsets.UTF_8))
        .isEqualTo("x".repeat(WireLimits.URI));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
  void koreanIsNeverSplit(int limit) {
    byte[] t = textBytes(KOREAN, limit);
    assertThat(t.length).isEqualTo(Math.min(9, limit / 3 * 3));
    assertThat(KOREAN).startsWith(new String(t, StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9})
  void surrogatePairsAreNeverSplit(int limit) {
    String s = EMOJI + EMOJI;
    byte[] t = textBytes(s, limit);
    assertThat(t.length).isEqualTo(Math.min(8, limit / 4 * 4));
    assertThat(s).startsWith(new String(t, StandardCharsets.UTF_8));
  }

  @Test
  void multiByteCharacterRightAtTheBoundary() {
    // 2047 ASCII + a 3-byte character: 2050 bytes, so the character must go as a whole
    assertThat(textBytes("a".repeat(2047) + "가", WireLimits.URI)).hasSize(2047);
    assertThat(textBytes("a".repeat(2045) + "가", WireLimits.URI)).hasSize(2048);
    assertThat(textBytes("a".repeat(2045) + EMOJI, WireLimits.URI)).hasSize(2045);
    assertThat(textBytes("a".repeat(2044) + EMOJI, WireLimits.URI)).hasSize(2048);
  }

  @Test
  void unpairedSurrogatesGoAsQuestionMarksLikeTheJdk() {
    String s = "a\uD800b\uDC00" + EMOJI + "\uD83D";
    assertThat(textBytes(s, 100)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTextNeverExceedsTheUnsignedShortLength() {
    assertThat(textBytes("y".repeat(70_000), Integer.MAX_VALUE)).hasSize(65535);
    assertThat(textBytes(KOREAN.repeat(30_000), Integer.MAX_VALUE)).hasSize(65535 / 3 * 3);
    assertThat(textBytes("abc", -1)).isEmpty();
  }

  @Test
  void randomStringsAreCutToTheLongestValidPrefix() {
    Random rnd = new Random(20106);
    char[] alphabet = ("aZ09/ é߿ࠀ가힣" + EMOJI + "\uD800\uDFFF").toCharArray();
    for (int round = 0; round < 2000; round++) {
      StringBuilder sb = new StringBuilder();
      int n = rnd.nextInt(40);
      for (int i = 0; i < n; i++) {
        sb.append(alphabet[rnd.nextInt(alphabet.length)]);
      }
      String s = sb.toString();
      int limit = rnd.nextInt(60);
      byte[] t = textBytes(s, limit);
      byte[] full = s.getBytes(StandardCharsets.UTF_8);
      assertThat(t.length).isLessThanOrEqualTo(limit);
      assertThat(Arrays.copyOf(full, t.length)).isEqualTo(t);
      if (t.length < full.length) {
        // the next character would not have fitted: its lead byte starts after t
        int next = t.length;
        int width = utf8Width(full[next]);
        assertThat(next + width).as("%s cut at %d", s, limit).isGreaterThan(limit);
      }
    }
  }

  private static int utf8Width(byte lead) {
    int b = lead & 0xff;
    return b < 0x80 ? 1 : b < 0xe0 ? 2 : b < 0xf0 ? 3 : 4;
  }

  @Test
  void decimalTextIsDigitsAndZeroIsEmpty() {
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimalText(0)))).isEqualTo("0000");
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimalText(503)))).isEqualTo("0003353033");
    long[] values = {1, -1, 9, 10, -10, 99, 1234567890123L, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE};
    for (long v : values) {
      byte[] b = bytesOf(w -> w.writeDecimalText(v));
      String expected = Long.toString(v);
      assertThat(new String(b, 2, b.length - 2, StandardCharsets.US_ASCII)).isEqualTo(expected);
      assertThat(((b[0] & 0xff) << 8) | (b[1] & 0xff)).isEqualTo(expected.length());
    }
  }

  @Test
  void golibDecimalUsesTheNarrowestWidth() {
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimal(0)))).isEqualTo("00");
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimal(-1)))).isEqualTo("01ff");
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimal(12500)))).isEqualTo("0230d4");
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimal(-0x800000)))).isEqualTo("03800000");
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimal(Integer.MAX_VALUE)))).isEqualTo("047fffffff");
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimal(0x7fffffffffL)))).isEqualTo("057fffffffff");
    assertThat(Golden.hex(bytesOf(w -> w.writeDecimal(0x8000000000L)))).isEqualTo("080000008000000000");
  }

  @Test
  void golibBlobTextLengthEscapes() {
    assertThat(bytesOf(w -> w.writeBlobText("", 100))).containsExactly(0);
    assertThat(bytesOf(w -> w.writeBlobText("z".repeat(253), 1000))[0] & 0xff).isEqualTo(253);
    byte[] b254 = bytesOf(w -> w.writeBlobText("z".repeat(254), 1000));
    assertThat(Golden.hex(Arrays.copyOf(b254, 3))).isEqualTo("ff00fe");
    byte[] big = bytesOf(w -> w.writeBlobText("z".repeat(70_000), 100_000));
    assertThat(Golden.hex(Arrays.copyOf(big, 5))).isEqualTo("fe00011170");
    assertThat(big).hasSize(5 + 70_000);
    assertThat(bytesOf(w -> w.writeBlobText(KOREAN, 5))).containsExactly(3, 0xed, 0x95, 0x9c);
  }

  @Test
  void frameLengthIsPatchedAndAFrameCanBeDropped() {
    WireWriter w = new WireWriter(4);
    int first = w.beginFrame(PackType.ACTIVE_STACK);
    w.writeText("ab", 10);
    w.endFrame(first);
    int second = w.beginFrame(PackType.DBCONN_POOL);
    w.writeText("half written", 100);
    w.truncateTo(second);
    assertThat(Golden.hex(w.toByteArray())).isEqualTo("2800004e8a00000004" + "00026162");
    assertThatThrownBy(() -> w.truncateTo(w.size() + 1)).isInstanceOf(IllegalArgumentException.class);
    w.reset();
    assertThat(w.size()).isZero();
  }

  @Test
  void txHeaderIs48BytesInGolibOrder() {
    byte[] b = bytesOf(w -> w.writeTxHeader(1, 2, 3, 4, 5, 6, 7));
    assertThat(Golden.hex(b)).isEqualTo("0000000000000001" + "0000000000000002" + "00000003" + "0000000000000004"
        + "0000000000000005" + "00000006" + "0000000000000007");
  }

  @Test
  void aWarmWriterAllocatesNothingPerFrame() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
    WireWriter w = new WireWriter(16);
    int[] bands = {3, 1, 0, 2, 0};
    String uri = "/주문/" + EMOJI + "/" + "a".repeat(3000);
    for (int i = 0; i < 20_000; i++) {
      writeMixedDatagram(w, i, uri, bands);
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 20_000; i++) {
      writeMixedDatagram(w, i, uri, bands);
    }
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    // 20,000 datagrams of 6 frames: anything per frame would be megabytes
    assertThat(allocated).isLessThan(20_000);
  }

  private static void writeMixedDatagram(WireWriter w, long i, String uri, int[] bands) {
    w.reset();
    PackEncoder.txStart(w, i, 1764000000123L, 0, 56, 7890, 4242, 77, "shop.example.com:8080", uri, "203.0.113.7",
        "Mozilla/5.0", "", "", false, "GET");
    PackEncoder.txSql(w, i, 1764000000123L, 12, 0, 0, 4242, 77, "jdbc:h2:mem:x", "SELECT 1", (int) i);
    PackEncoder.txHttpc(w, i, 1764000000123L, 12, 0, 0, 4242, 77, "http://x/y", -i, "java.net.http");
    PackEncoder.txEnd(w, i, 1764000000123L, 0, 56, 7890, 4242, 77, "h", uri, i * 31, 2, -i, 55, "spec", "url",
        "poid", 503, true, i);
    PackEncoder.activeStats(w, bands);
    PackEncoder.txError(w, i, 1764000000123L, 0, 0, 0, 1, 2, "java.lang.IllegalStateException", "잘못된 상태", "at a.B");
  }

  private interface Writes {
    void to(WireWriter w);
  }

  private static byte[] bytesOf(Writes writes) {
    WireWriter w = new WireWriter(1);
    writes.to(w);
    return w.toByteArray();
  }

  /** What a slot writes must be byte for byte what a plain write of the same text writes. */
  private static byte[] plain(String s, int max) {
    WireWriter w = new WireWriter(8);
    w.writeText(s, max);
    return w.toByteArray();
  }

  @Test
  void aRepeatedSlotTextIsCopiedFromItsEarlierBytesAndStaysIdentical() {
    String host = new String("example.com:8080");
    WireWriter w = new WireWriter(8);
    w.writeText(host, 2048, 0);
    w.writeText(KOREAN, 2048, 1);
    w.writeInt(7);
    w.writeText(host, 2048, 0); // copied
    w.writeText(KOREAN, 2048, 1); // copied, across a grown buffer
    ByteBuffer expected = ByteBuffer.allocate(200);
    expected.put(plain(host, 2048)).put(plain(KOREAN, 2048)).putInt(7).put(plain(host, 2048))
        .put(plain(KOREAN, 2048));
    assertThat(w.toByteArray()).isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
  }

  @Test
  void anEqualButDifferentInstanceOrAnotherLimitIsEncodedAgain() {
    String a = new String("abcdef");
    String b = new String("abcdef");
    WireWriter w = new WireWriter(8);
    w.writeText(a, 100, 0);
    w.writeText(b, 100, 0);
    w.writeText(b, 3, 0); // same instance as the slot now holds, a smaller limit: cut to 3
    w.writeText(b, 3, 0);
    ByteBuffer expected = ByteBuffer.allocate(100);
    expected.put(plain(a, 100)).put(plain(b, 100)).put(plain(b, 3)).put(plain(b, 3));
    assertThat(w.toByteArray()).isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
  }

  @Test
  void truncatingOrResettingForgetsTextsThatAreNoLongerInTheBuffer() {
    String uri = "/orders/{id}";
    WireWriter w = new WireWriter(8);
    w.writeInt(1);
    int mark = w.size();
    w.writeText(uri, 100, 1);
    w.truncateTo(mark);
    w.writeText("XXXXXXXXXXXXXXXXXXXX", 100); // overwrites where the slot's bytes were
    w.writeText(uri, 100, 1);
    byte[] afterTruncate = w.toByteArray();
    assertThat(Arrays.copyOfRange(afterTruncate, afterTruncate.length - plain(uri, 100).length, afterTruncate.length))
        .isEqualTo(plain(uri, 100));

    w.reset();
    w.writeText("YYYYYYYYYYYYYYYYYYYYYYYY", 100);
    w.writeText(uri, 100, 1);
    byte[] afterReset = w.toByteArray();
    assertThat(Arrays.copyOfRange(afterReset, afterReset.length - plain(uri, 100).length, afterReset.length))
        .isEqualTo(plain(uri, 100));
  }

  @Test
  void emptyAndNullTextsThroughASlotAreEmptyTexts() {
    WireWriter w = new WireWriter(8);
    w.writeText(null, 100, 2);
    w.writeText("", 100, 2);
    assertThat(w.toByteArray()).containsExactly(0, 0, 0, 0);
  }

  @Test
  void movingTheLastFrameToTheFrontKeepsItsSlotsAndForgetsTheOthers() {
    String host = "h.example:80";
    String uri = "/moved";
    WireWriter w = new WireWriter(8);
    w.writeText(host, 100, 0); // before the move: forgotten
    int frame = w.size();
    w.writeInt(5);
    w.writeText(uri, 100, 1); // inside the moved frame: kept
    w.moveToFront(frame);
    w.writeText(uri, 100, 1);
    w.writeText(host, 100, 0);
    ByteBuffer expected = ByteBuffer.allocate(100);
    expected.putInt(5).put(plain(uri, 100)).put(plain(uri, 100)).put(plain(host, 100));
    assertThat(w.toByteArray()).isEqualTo(Arrays.copyOf(expected.array(), expected.position()));
  }
}
