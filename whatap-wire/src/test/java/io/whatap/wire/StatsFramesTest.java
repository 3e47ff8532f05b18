package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The two stats-mode frames of ours against truncation, bad indexes and other versions. */
class StatsFramesTest {
  private static byte[] frames() {
    int[] h = new int[ElapsedBuckets.COUNT];
    h[3] = 7;
    h[ElapsedBuckets.COUNT - 1] = 1;
    WireWriter w = new WireWriter(256);
    PackEncoder.statsRow(w, 1, 2, 3, "/a", 2, 8, 1, 100, 3, 1 << 30, 4, 5, h);
    PackEncoder.statsHitmap(w, 1, 1000, 1000, h, new int[ElapsedBuckets.COUNT]);
    return w.toByteArray();
  }

  @Test
  void everyTruncationStopsCleanlyAtTheCutFrame() {
    byte[] all = frames();
    int firstFrame = WireWriter.FRAME_HEADER_BYTES + ((all[5] & 0xff) << 24 | (all[6] & 0xff) << 16
        | (all[7] & 0xff) << 8 | (all[8] & 0xff));
    for (int n = 0; n < all.length; n++) {
      DecodeResult r = PackDecoder.decode(Arrays.copyOf(all, n));
      assertThat(r.packs()).hasSize(n < firstFrame ? 0 : 1);
      assertThat(r.ok()).as("cut at " + n).isEqualTo(n == 0 || n == firstFrame);
    }
    assertThat(PackDecoder.decode(all).packs()).hasSize(2);
  }

  @Test
  void aBucketIndexBeyondTheBucketsIsMalformed() {
    WireWriter w = new WireWriter(64);
    int mark = w.beginFrame(PackType.STATS_HITMAP, PackType.STATS_VERSION);
    w.writeInt(1);
    w.writeLong(1000);
    w.writeInt(1000);
    w.writeShort(1);
    w.writeShort(ElapsedBuckets.COUNT);
    w.writeInt(1);
    w.writeInt(0);
    w.endFrame(mark);
    DecodeResult r = PackDecoder.decode(w.toByteArray());
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("STATS_HITMAP").contains("bucket index " + ElapsedBuckets.COUNT);
  }

  @Test
  void anotherLayoutVersionIsSkippedAsUnknown() {
    byte[] all = frames();
    all[4] = 2; // the first frame's version: 1 -> 2
    DecodeResult r = PackDecoder.decode(all);
    assertThat(r.ok()).isTrue();
    assertThat(r.unknownFrames()).isEqualTo(1);
    assertThat(r.packs().get(0)).isInstanceOf(UnknownPack.class);
    assertThat(r.packs().get(1)).isInstanceOf(StatsHitmapPack.class);
  }
}
