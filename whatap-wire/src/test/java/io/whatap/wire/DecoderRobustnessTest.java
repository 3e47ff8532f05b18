package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The decoder reads untrusted datagrams: it must never throw, and never allocate beyond the input. */
class DecoderRobustnessTest {

  /** decode() plus the invariants every result must keep, whatever the input. */
  private static DecodeResult decode(byte[] b, int off, int len) {
    DecodeResult r = PackDecoder.decode(b, off, len);
    assertThat(r.packs()).hasSize(r.framesRead());
    assertThat(r.unknownFrames()).isBetween(0, r.framesRead());
    if (r.error() != null) {
      assertThat(r.error()).isNotBlank().doesNotContain("internal decoder error");
    }
    return r;
  }

  @Test
  void everyTruncationOfEveryGoldenVectorIsAnErrorNeverAnException() {
    for (Golden.Vector v : Golden.vectors()) {
      byte[] b = v.bytes();
      for (int cut = 1; cut < b.length; cut++) {
        DecodeResult r = decode(b, 0, cut);
        assertThat(r.error()).as("%s cut at %d", v.name(), cut).isNotNull().startsWith("frame 1");
        assertThat(r.framesRead()).isZero();
      }
      assertThat(decode(b, 0, 0).ok()).isTrue();
    }
  }

  @Test
  void aTruncatedDatagramKeepsTheFramesBeforeTheCut() {
    WireWriter w = new WireWriter(64);
    int[] ends = new int[Golden.vectors().size()];
    int i = 0;
    for (Golden.Vector v : Golden.vectors()) {
      w.writeBytes(v.bytes(), 0, v.bytes().length);
      ends[i++] = w.size();
    }
    byte[] all = w.toByteArray();
    int complete = 0;
    for (int cut = 0; cut <= all.length; cut++) {
      while (complete < ends.length && ends[complete] <= cut) {
        complete++;
      }
      DecodeResult r = decode(all, 0, cut);
      assertThat(r.framesRead()).as("cut at %d", cut).isEqualTo(complete);
      boolean onBoundary = cut == 0 || (complete > 0 && ends[complete - 1] == cut);
      assertThat(r.ok()).as("cut at %d", cut).isEqualTo(onBoundary);
    }
  }

  @Test
  void twentyThousandRandomDatagrams() {
    Random rnd = new Random(0x5eed);
    byte[] buf = new byte[2048];
    int framesRead = 0;
    int bodiesRejected = 0;
    for (int i = 0; i < 20_000; i++) {
      int len = rnd.nextInt(buf.length);
      rnd.nextBytes(buf);
      if (i % 2 == 0) {
        // a plausible frame header so that bodies get parsed, not only rejected by their length
        int[] types = {1, 2, 4, 7, 10, 11, 12, 30, 40, 41, 42, 244, 254, 255};
        buf[0] = (byte) types[rnd.nextInt(types.length)];
        putInt(buf, 1, 20100 + rnd.nextInt(8));
        putInt(buf, 5, rnd.nextInt(Math.max(1, len)));
      }
      DecodeResult r = decode(buf, 0, len);
      framesRead += r.framesRead();
      if (r.error() != null && !r.error().contains("body length")) {
        bodiesRejected++;
      }
    }
    // the run must have gone past the frame headers, into the field readers
    assertThat(framesRead).isGreaterThan(100);
    assertThat(bodiesRejected).isGreaterThan(1000);
  }

  @Test
  void mutatedGoldenVectors() {
    Random rnd = new Random(20106);
    for (int i = 0; i < 20_000; i++) {
      Golden.Vector v = Golden.vectors().get(rnd.nextInt(Golden.vectors().size()));
      byte[] b = v.bytes().clone();
      int flips = 1 + rnd.nextInt(4);
      for (int k = 0; k < flips; k++) {
        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
      }
      decode(b, 0, b.length);
    }
  }

  @Test
  void hugeAndNegativeFrameLengths() {
    byte[] huge = Golden.hex("0100004e8a7fffffff00");
    assertThat(decode(huge, 0, huge.length).error())
        .isEqualTo("frame 1 (TX_START, version 20106): body length 2147483647 exceeds the 1 bytes remaining at offset 9");
    byte[] negative = Golden.hex("2800004e8affffff9c0000");
    assertThat(decode(negative, 0, negative.length).error())
        .isEqualTo("frame 1 (ACTIVE_STACK, version 20106): negative body length -100 at offset 5");
    byte[] shortHeader = Golden.hex("2800004e");
    assertThat(decode(shortHeader, 0, shortHeader.length).error())
        .isEqualTo("frame 1: a frame header needs 9 bytes, only 4 remain at offset 0");
  }

  @Test
  void aTextLongerThanItsFrameNamesFrameFieldAndOffset() {
    WireWriter w = new WireWriter(64);
    PackEncoder.activeStack(w, "first");
    int mark = w.beginFrame(PackType.TX_SQL);
    w.writeTxHeader(1, 2, 3, 4, 5, 6, 7);
    w.writeText("jdbc:x", 100);
    w.writeShort(4000);
    w.writeBytes(new byte[12], 0, 12);
    w.endFrame(mark);
    DecodeResult r = decode(w.array(), 0, w.size());
    assertThat(r.framesRead()).isEqualTo(1);
    assertThat(r.packs()).containsExactly(new ActiveStackPack("first"));
    // frame 2 starts at 16, its body at 25; after the 48-byte header and the 8-byte dbc text the sql
    // length prefix sits at 81 and its bytes would start at 83, 12 bytes before the frame's end
    assertThat(r.error()).isEqualTo(
        "frame 2 (TX_SQL, version 20106): sql text length 4000 exceeds the 12 bytes remaining at offset 83");
  }

  @Test
  void offsetsAreRelativeToTheDatagramNotTheBuffer() {
    byte[] b = Golden.hex("ffffff" + "0100004e8a7fffffff00");
    assertThat(decode(b, 3, b.length - 3).error()).endsWith("at offset 9");
  }

  @Test
  void badBoundsAndNullAreReportedNotThrown() {
    assertThat(PackDecoder.decode(null).error()).contains("null");
    assertThat(PackDecoder.decode(new byte[4], 2, 3).error()).contains("outside");
    assertThat(PackDecoder.decode(new byte[4], -1, 1).error()).contains("outside");
  }

  @Test
  void relayedTagCountWithHostileSizes() {
    // relay body: TagCountPack type, header (pcode 0, oid, time), zero byte, category, hash 0, then the tags
    String head = "1601" + "00" + "00000000" + "0000000000000000" + "00" + "00" + "00";
    String[] badTags = {
      "50" + "047fffffff", // map claims 2^31-1 entries
      "50" + "08ffffffffffffffff", // map claims -1 entries
      "50" + "0101" + "fe7fffffff", // key blob claims 2 GB
      "50" + "0101" + "fe80000000", // key blob with a negative length
      "50" + "0101" + "0161" + "46", // value type 70 needs a count
      "50" + "0101" + "0161" + "4604ffffff00", // list of -256 elements
      "50" + "0101" + "0161" + "63", // value type 99 does not exist
      "32" + "0161", // tags are a text, not a map
      "5001010161".repeat(40) + "00", // maps nested 40 deep
    };
    for (String tags : badTags) {
      byte[] frame = relayFrame(head + tags);
      DecodeResult r = decode(frame, 0, frame.length);
      assertThat(r.error()).as(tags).startsWith("frame 1 (RELAY_PACK, version 20106): relayed TagCountPack: ");
    }
  }

  @Test
  void decodingHostileDatagramsAllocatesNoMoreThanTheyHold() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean);
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(mx.isThreadAllocatedMemorySupported() && mx.isThreadAllocatedMemoryEnabled());
    String relayHead = "1601" + "00" + "00000000" + "0000000000000000" + "00" + "00" + "00";
    byte[][] hostile = {
      Golden.hex("0100004e8a7fffffff00"),
      Golden.hex("2800004e8a00000004" + "ffff0000"),
      relayFrame(relayHead + "50" + "047fffffff" + "00".repeat(6)),
      relayFrame(relayHead + "50" + "0101" + "fe7fffffff" + "00".repeat(2)),
      relayFrame(relayHead + "50" + "0101" + "0161" + "46" + "047fffffff" + "00"),
    };
    for (byte[] b : hostile) {
      assertThat(decode(b, 0, b.length).error()).isNotNull();
    }
    long tid = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(tid);
    for (byte[] b : hostile) {
      PackDecoder.decode(b, 0, b.length);
    }
    // error messages and a few small objects; a trusted 2 GB length would show as gigabytes
    assertThat(mx.getThreadAllocatedBytes(tid) - before).isLessThan(64 * 1024);
  }

  private static byte[] relayFrame(String bodyHex) {
    byte[] body = Golden.hex(bodyHex);
    WireWriter w = new WireWriter(64);
    PackEncoder.relayRaw(w, body, 0, body.length);
    return w.toByteArray();
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
