package io.whatap.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * RELAY_PACK: one serialized golib pack, relayed as is. {@code raw} is the frame body (golib's
 * int16 pack type, then the pack); {@code tagCount} is its decoded form when it is a TagCountPack,
 * else null. When encoding, {@code raw} wins if present, else {@code tagCount} is serialized.
 * Compared by content.
 */
public record RelayPack(TagCountPack tagCount, byte[] raw) implements Pack {
  @Override
  public int type() {
    return PackType.RELAY_PACK;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RelayPack that && Objects.equals(tagCount, that.tagCount)
        && Arrays.equals(raw, that.raw);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(tagCount) + Arrays.hashCode(raw);
  }

  @Override
  public String toString() {
    return "RelayPack[tagCount=" + tagCount + ", raw=" + (raw == null ? "null" : raw.length + " bytes") + "]";
  }
}
