package io.whatap.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Bounds-checked big-endian reads over one frame body. Every length is compared with the bytes
 * left before anything is allocated; a violation throws {@link Malformed}, which
 * {@link PackDecoder} turns into the datagram's error and never lets out.
 */
final class WireReader {
  /** Stackless: thrown on hostile input, where a stack trace would only cost. */
  static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message, null, false, false);
    }
  }

  /** Big-endian views: one load where a shift per byte was eight (the header's ids and times). */
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] b;
  /** Start of the datagram, so that offsets in messages are datagram offsets. */
  private final int base;
  private int pos;
  private int end;

  WireReader(byte[] b, int base) {
    this.b = b;
    this.base = base;
  }

  WireReader window(int from, int to) {
    pos = from;
    end = to;
    return this;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  int offset() {
    return pos - base;
  }

  Malformed malformed(String message) {
    return new Malformed(message);
  }

  private void need(int n, String what) {
    need(n, what, "");
  }

  /** {@code what + suffix} names the field; the two are joined only for the error message, never per read. */
  private void need(int n, String what, String suffix) {
    if (n > end - pos) {
      throw new Malformed(what + suffix + " needs " + n + " bytes, only " + (end - pos) + " remain at offset "
          + offset());
    }
  }

  private int lengthU8(String what) {
    need(1, what, " length");
    return b[pos++] & 0xff;
  }

  private int lengthU16(String what) {
    need(2, what, " length");
    int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  private int lengthI32(String what) {
    need(4, what, " length");
    int v = ((b[pos] & 0xff) << 24) | ((b[pos + 1] & 0xff) << 16) | ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
    pos += 4;
    return v;
  }

  int u8(String what) {
    need(1, what);
    return b[pos++] & 0xff;
  }

  int u16(String what) {
    need(2, what);
    int v = ((b[pos] & 0xff) << 8) | (b[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  int i32(String what) {
    need(4, what);
    int v = (int) INTS.get(b, pos);
    pos += 4;
    return v;
  }

  long i64(String what) {
    need(8, what);
    long v = (long) LONGS.get(b, pos);
    pos += 8;
    return v;
  }

  /** The next {@code n} (1..8) bytes as a sign-extended big-endian number; the caller checked room. */
  private long signedBytes(int n) {
    long v = b[pos++];
    for (int i = 1; i < n; i++) {
      v = (v << 8) | (b[pos++] & 0xff);
    }
    return v;
  }

  /** golib ReadDecimal: a length byte, then that many bytes (0–5; anything else means 8). */
  long decimal(String what) {
    return decimalOfWidth(u8(what), what);
  }

  /** golib ReadDecimalLen: 0 → 0, 1–5 → that many bytes, anything else → 8 bytes. */
  long decimalOfWidth(int width, String what) {
    int n = width >= 0 && width <= 5 ? width : 8;
    if (n == 0) {
      return 0;
    }
    need(n, what);
    return signedBytes(n);
  }

  /** A protocol text (unsigned-16 length + UTF-8). Malformed UTF-8 becomes U+FFFD, never an error. */
  String text(String what) {
    int n = textLength(what);
    if (n == 0) {
      return "";
    }
    String s = new String(b, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** As {@link #text(String)}, answered from {@code memo}'s {@code slot} when the bytes repeat it. */
  String text(String what, TextMemo memo, int slot) {
    if (memo == null) {
      return text(what);
    }
    int n = textLength(what);
    if (n == 0) {
      return "";
    }
    String s = memo.text(b, pos, n, slot);
    pos += n;
    return s;
  }

  private int textLength(String what) {
    int n = lengthU16(what);
    if (n > end - pos) {
      throw new Malformed(what + " length " + n + " exceeds the " + (end - pos)
          + " bytes remaining at offset " + offset());
    }
    return n;
  }

  /**
   * A number carried as text, read like golib's {@code ParseInt64} (Go {@code strconv.ParseInt(s,
   * 10, 64)}): optional sign, ASCII digits; empty, non-numeric or out-of-range text is 0.
   */
  long longText(String what) {
    int n = textLength(what);
    long v = parseDecimal(b, pos, n, Long.MIN_VALUE, Long.MAX_VALUE);
    pos += n;
    return v;
  }

  /** As {@link #longText}, with golib's {@code ParseInt32} range. */
  int intText(String what) {
    int n = textLength(what);
    long v = parseDecimal(b, pos, n, Integer.MIN_VALUE, Integer.MAX_VALUE);
    pos += n;
    return (int) v;
  }

  /** Go {@code strconv.ParseBool} as golib applies it: true only for 1, t, T, TRUE, true, True. */
  boolean boolText(String what) {
    int n = textLength(what);
    boolean v = n == 1 ? b[pos] == '1' || b[pos] == 't' || b[pos] == 'T'
        : n == 4 && (matches("true") || matches("TRUE") || matches("True"));
    pos += n;
    return v;
  }

  private boolean matches(String ascii) {
    for (int i = 0; i < ascii.length(); i++) {
      if (b[pos + i] != ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * A text of comma-separated integers ("3,1,0,2,0"), parsed from the bytes; a part that is not
   * a number is 0, the empty text is no numbers. At most one int per byte of text, plus one.
   */
  int[] intListText(String what) {
    int n = textLength(what);
    if (n == 0) {
      return new int[0];
    }
    int end = pos + n;
    int parts = 1;
    for (int i = pos; i < end; i++) {
      if (b[i] == ',') {
        parts++;
      }
    }
    int[] out = new int[parts];
    int from = pos;
    for (int k = 0; k < parts; k++) {
      int to = from;
      while (to < end && b[to] != ',') {
        to++;
      }
      out[k] = (int) parseDecimal(b, from, to - from, Integer.MIN_VALUE, Integer.MAX_VALUE);
      from = to + 1;
    }
    pos = end;
    return out;
  }

  /** Everything left in the window. */
  byte[] rest() {
    byte[] v = Arrays.copyOfRange(b, pos, end);
    pos = end;
    return v;
  }

  /** golib ReadBlob length: one byte up to 253, 255 + unsigned short, 254 + int. */
  private int blobLength(String what) {
    int first = lengthU8(what);
    int n;
    if (first == 255) {
      n = lengthU16(what);
    } else if (first == 254) {
      n = lengthI32(what);
      if (n < 0) {
        throw new Malformed(what + " has a negative length " + n + " at offset " + (offset() - 4));
      }
    } else {
      n = first;
    }
    if (n > end - pos) {
      throw new Malformed(what + " length " + n + " exceeds the " + (end - pos)
          + " bytes remaining at offset " + offset());
    }
    return n;
  }

  /** golib ReadText (blob-length text). */
  String blobText(String what) {
    int n = blobLength(what);
    String s = n == 0 ? "" : new String(b, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  byte[] blob(String what) {
    int n = blobLength(what);
    byte[] v = Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return v;
  }

  /** Bytes [from, from+n) as a golib-style integer (Go strconv.ParseInt); 0 when they are not one. */
  static long parseDecimal(byte[] b, int from, int n, long min, long max) {
    if (n == 0) {
      return 0;
    }
    int i = from;
    int end = from + n;
    boolean negative = false;
    if (b[i] == '-' || b[i] == '+') {
      negative = b[i] == '-';
      i++;
      if (i == end) {
        return 0;
      }
    }
    long limit = negative ? min : -max;
    long multMin = limit / 10;
    long result = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9 || result < multMin) {
        return 0;
      }
      result *= 10;
      if (result < limit + d) {
        return 0;
      }
      result -= d;
    }
    return negative ? result : -result;
  }
}
