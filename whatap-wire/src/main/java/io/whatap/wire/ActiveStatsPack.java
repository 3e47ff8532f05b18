package io.whatap.wire;

import java.util.Arrays;

/**
 * ACTIVE_STATS: active transactions counted per elapsed band, sent as the text {@code "3,1,0,2,0"}.
 * Compared by content.
 */
public record ActiveStatsPack(int[] bands) implements Pack {
  public ActiveStatsPack {
    if (bands == null) {
      bands = new int[0];
    }
  }

  @Override
  public int type() {
    return PackType.ACTIVE_STATS;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ActiveStatsPack that && Arrays.equals(bands, that.bands);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bands);
  }

  @Override
  public String toString() {
    return "ActiveStatsPack[bands=" + Arrays.toString(bands) + "]";
  }
}
