package io.whatap.wire;

import java.util.Collections;
import java.util.Map;

/**
 * golib's TagCountPack (pack type 0x1601), the counter record the Python agent relays.
 *
 * <p>Values map to golib values: {@code null} → NullValue, {@link Boolean} → BoolValue,
 * {@link Integer} → IntValue (4 bytes), {@link Long} → DecimalValue (variable length),
 * {@link Float} → FloatValue, {@link Double} → DoubleValue, {@link String} → TextValue,
 * {@code byte[]} → BlobValue, {@link java.util.List} → ListValue, {@link Map} → MapValue. Other
 * integral numbers ({@code Short}, {@code Byte}, {@code AtomicLong}, {@code BigInteger}) are sent
 * as DecimalValue and read back as {@link Long}; any other object as TextValue of its
 * {@code toString()}. Maps keep their iteration order on the wire, so pass insertion-ordered maps.
 */
public record TagCountPack(long pcode, int oid, long time, String category, Map<String, Object> tags,
    Map<String, Object> fields) {
  /** golib's pack type code of TagCountPack. */
  public static final int PACK_TYPE = 0x1601;

  public TagCountPack {
    if (tags == null) {
      tags = Collections.emptyMap();
    }
    if (fields == null) {
      fields = Collections.emptyMap();
    }
  }
}
