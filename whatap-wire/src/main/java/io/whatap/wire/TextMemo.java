package io.whatap.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The last text read into each of a few transaction fields, for a decoder that runs on one
 * thread. A busy application sends the same host, client address, method and often the same
 * URI transaction after transaction; comparing the bytes with the previous value is a few
 * nanoseconds, where a new String is an allocation, a copy and a Latin-1 scan per field, and
 * handing out the same instance lets a receiver's maps hit on a cached hash and identity.
 * Not thread-safe: one per decoding thread.
 */
public final class TextMemo {
  static final int HOST = 0;
  static final int URI = 1;
  static final int IP = 2;
  static final int USER_AGENT = 3;
  static final int REFERER = 4;
  static final int METHOD = 5;
  private static final int SLOTS = 6;
  /** Longer values are decoded each time: they rarely repeat and cost more to compare. */
  static final int MAX_BYTES = 512;

  private final byte[][] bytes = new byte[SLOTS][MAX_BYTES];
  private final int[] lengths = new int[SLOTS];
  private final String[] strings = new String[SLOTS];

  String text(byte[] b, int pos, int n, int slot) {
    if (n > MAX_BYTES) {
      return new String(b, pos, n, StandardCharsets.UTF_8);
    }
    byte[] last = bytes[slot];
    String s = strings[slot];
    if (s != null && lengths[slot] == n && Arrays.equals(b, pos, pos + n, last, 0, n)) {
      return s;
    }
    s = new String(b, pos, n, StandardCharsets.UTF_8);
    System.arraycopy(b, pos, last, 0, n);
    lengths[slot] = n;
    strings[slot] = s;
    return s;
  }
}
