package io.whatap.wire;

import java.util.Arrays;

/**
 * A growable big-endian byte buffer that frames packs for one datagram.
 *
 * <p>Meant for a single thread (the sender) and reused across datagrams: once the backing array
 * has grown to the largest datagram, no write allocates. Strings are encoded to UTF-8 directly
 * into the buffer, never through an intermediate {@code byte[]}.
 *
 * <p>A frame is written as {@code int mark = beginFrame(type); ...fields...; endFrame(mark);}.
 * If a frame must be abandoned half-way, {@code truncateTo(mark)} drops it.
 */
public final class WireWriter {
  /** type byte + version int + length int */
  static final int FRAME_HEADER_BYTES = 9;
  private static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;

  /**
   * Texts that repeat in a datagram (host, URI, client address, method...) are copied from
   * where they were last written in it, when the same String instance comes again: one array
   * copy instead of a character loop. Slot numbers are the caller's; a slot remembers its
   * string, the offset of its encoded length prefix, and the limit it was written under.
   */
  public static final int TEXT_SLOTS = 8;
  private final String[] slotText = new String[TEXT_SLOTS];
  private final int[] slotAt = new int[TEXT_SLOTS];
  private final int[] slotEnd = new int[TEXT_SLOTS];
  private final int[] slotLimit = new int[TEXT_SLOTS];

  private byte[] buf;
  private int size;

  public WireWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Forgets the content, keeps the backing array. */
  public void reset() {
    size = 0;
    Arrays.fill(slotText, null);
  }

  public int size() {
    return size;
  }

  /** The backing array; only bytes {@code [0, size())} are meaningful. Valid until the next write. */
  public byte[] array() {
    return buf;
  }

  /** A copy of the written bytes. Allocates: for tests and for the rare caller that keeps them. */
  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** Drops everything written after {@code newSize} (a mark from {@link #beginFrame} or {@link #size()}). */
  public void truncateTo(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IllegalArgumentException("truncateTo(" + newSize + ") outside [0, " + size + "]");
    }
    size = newSize;
    for (int i = 0; i < TEXT_SLOTS; i++) {
      if (slotEnd[i] > newSize) {
        slotText[i] = null;
      }
    }
  }

  /**
   * Moves the bytes from {@code from} to the end to the front (the frame that did not fit the
   * datagram just sent), keeping repeated-text slots that lie in them.
   */
  public void moveToFront(int from) {
    if (from < 0 || from > size) {
      throw new IllegalArgumentException("moveToFront(" + from + ") outside [0, " + size + "]");
    }
    int length = size - from;
    System.arraycopy(buf, from, buf, 0, length);
    size = length;
    for (int i = 0; i < TEXT_SLOTS; i++) {
      if (slotText[i] != null && slotAt[i] >= from) {
        slotAt[i] -= from;
        slotEnd[i] -= from;
      } else {
        slotText[i] = null;
      }
    }
  }

  private void ensure(int extra) {
    int needed = size + extra;
    if (needed < 0 || needed > MAX_CAPACITY) {
      throw new IllegalStateException("wire buffer cannot grow past " + MAX_CAPACITY + " bytes");
    }
    if (needed > buf.length) {
      int grown = buf.length > MAX_CAPACITY / 2 ? MAX_CAPACITY : buf.length * 2;
      buf = Arrays.copyOf(buf, Math.max(grown, needed));
    }
  }

  public void writeByte(int v) {
    ensure(1);
    buf[size++] = (byte) v;
  }

  public void writeShort(int v) {
    ensure(2);
    byte[] b = buf;
    int p = size;
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
    size = p + 2;
  }

  public void writeInt(int v) {
    ensure(4);
    putInt(buf, size, v);
    size += 4;
  }

  public void writeLong(long v) {
    ensure(8);
    byte[] b = buf;
    int p = size;
    for (int shift = 56; shift >= 0; shift -= 8) {
      b[p++] = (byte) (v >>> shift);
    }
    size = p;
  }

  public void writeBytes(byte[] src, int off, int len) {
    if (len == 0) {
      return;
    }
    ensure(len);
    System.arraycopy(src, off, buf, size, len);
    size += len;
  }

  /** golib {@code WriteFloat}: the IEEE-754 bits as an int. */
  public void writeFloat(float v) {
    writeInt(Float.floatToIntBits(v));
  }

  /** golib {@code WriteDouble}: the IEEE-754 bits as a long. */
  public void writeDouble(double v) {
    writeLong(Double.doubleToLongBits(v));
  }

  /**
   * A protocol text: unsigned-16 byte length, then UTF-8. {@code null} is written as the empty
   * text. A value longer than {@code maxBytes} (capped at 65535) is cut at the last whole
   * character that fits, so the bytes are always valid UTF-8. An unpaired surrogate is sent as
   * {@code '?'}, as {@link String#getBytes(java.nio.charset.Charset)} would.
   */
  public void writeText(String s, int maxBytes) {
    int limit = clampLimit(maxBytes);
    if (s == null || s.isEmpty() || limit == 0) {
      writeShort(0);
      return;
    }
    // UTF-8 never needs more than three bytes per UTF-16 unit, so one ensure covers the loop.
    ensure(2 + (int) Math.min(3L * s.length(), limit));
    int start = size;
    size += 2;
    int n = putUtf8(s, limit);
    buf[start] = (byte) (n >>> 8);
    buf[start + 1] = (byte) n;
  }

  /**
   * As {@link #writeText(String, int)}; when {@code s} is the very instance last written
   * through {@code slot} under the same limit and still in the buffer, its bytes are copied
   * from there.
   */
  public void writeText(String s, int maxBytes, int slot) {
    if (s == null || s.isEmpty()) {
      writeShort(0);
      return;
    }
    if (slotText[slot] == s && slotLimit[slot] == maxBytes) {
      int from = slotAt[slot];
      int len = slotEnd[slot] - from;
      ensure(len);
      System.arraycopy(buf, from, buf, size, len);
      size += len;
      return;
    }
    int at = size;
    writeText(s, maxBytes);
    slotText[slot] = s;
    slotAt[slot] = at;
    slotEnd[slot] = size;
    slotLimit[slot] = maxBytes;
  }

  /** A Python-family number carried as text: decimal digits, and zero as the empty text. */
  public void writeDecimalText(long v) {
    if (v == 0) {
      writeShort(0);
      return;
    }
    int len = decimalDigits(v);
    ensure(2 + len);
    writeShort(len);
    putDecimalDigits(v, len);
  }

  /** The text {@code "true"} or {@code "false"}, as the Python agent sends isStaticContents. */
  public void writeBooleanText(boolean v) {
    if (v) {
      ensure(6);
      writeShort(4);
      putAscii("true");
    } else {
      ensure(7);
      writeShort(5);
      putAscii("false");
    }
  }

  /**
   * golib {@code WriteDecimal}: a length byte (0, 1, 2, 3, 4, 5 or 8) then that many bytes of
   * the two's-complement value; zero is the single byte 0.
   */
  public void writeDecimal(long v) {
    int n = decimalWidth(v);
    ensure(1 + n);
    byte[] b = buf;
    int p = size;
    b[p++] = (byte) n;
    for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) {
      b[p++] = (byte) (v >>> shift);
    }
    size = p;
  }

  /**
   * golib {@code WriteText} (used inside golib packs such as TagCountPack): a blob length of one
   * byte up to 253, {@code 255} + unsigned short up to 65535, else {@code 254} + int; then UTF-8.
   * Truncated to {@code maxBytes} on a character boundary.
   */
  public void writeBlobText(String s, int maxBytes) {
    if (s == null || s.isEmpty() || maxBytes <= 0) {
      writeByte(0);
      return;
    }
    int n = utf8Length(s, maxBytes);
    writeBlobLength(n);
    ensure(n);
    putUtf8(s, n);
  }

  /** golib {@code WriteBlob}. */
  public void writeBlob(byte[] value, int off, int len) {
    writeBlobLength(len);
    writeBytes(value, off, len);
  }

  private void writeBlobLength(int n) {
    if (n <= 253) {
      writeByte(n);
    } else if (n <= 65535) {
      writeByte(255);
      writeShort(n);
    } else {
      writeByte(254);
      writeInt(n);
    }
  }

  /**
   * Starts a frame of version {@link PackType#VERSION}: type byte, version, a length placeholder.
   * Returns the mark to hand to {@link #endFrame} (or to {@link #truncateTo} to abandon it).
   */
  public int beginFrame(int packType) {
    return beginFrame(packType, PackType.VERSION);
  }

  /**
   * A frame of another layout version: tests write older layouts; the sender writes TX_START_END in
   * the Go layout ({@link PackType#GO_START_END_VERSION}) to a local agent that offered to read it.
   */
  public int beginFrame(int packType, int version) {
    int mark = size;
    ensure(FRAME_HEADER_BYTES);
    buf[size++] = (byte) packType;
    writeInt(version);
    writeInt(0);
    return mark;
  }

  /** Patches the body length of the frame started at {@code mark}. */
  public void endFrame(int mark) {
    int bodyStart = mark + FRAME_HEADER_BYTES;
    if (mark < 0 || bodyStart > size) {
      throw new IllegalArgumentException("endFrame(" + mark + ") is not a frame mark (size " + size + ")");
    }
    putInt(buf, mark + 5, size - bodyStart);
  }

  /** The transaction header that opens every TX_* body (Python family, 48 bytes). */
  public void writeTxHeader(long txid, long time, int elapsed, long cpu, long mem, int pid, long threadId) {
    ensure(48);
    writeLong(txid);
    writeLong(time);
    writeInt(elapsed);
    writeLong(cpu);
    writeLong(mem);
    writeInt(pid);
    writeLong(threadId);
  }

  // ---- package-private pieces for PackEncoder ----

  /** Reserves a text length prefix; returns its position for {@link #endText}. */
  int beginText() {
    int at = size;
    writeShort(0);
    return at;
  }

  /** Patches the length of a text begun at {@code at}. */
  void endText(int at) {
    int n = size - at - 2;
    buf[at] = (byte) (n >>> 8);
    buf[at + 1] = (byte) n;
  }

  /** Decimal digits without a length prefix, zero as "0" (for comma-separated lists). */
  void appendDecimal(long v) {
    int len = decimalDigits(v);
    ensure(len);
    putDecimalDigits(v, len);
  }

  /** Opens a gap of {@code len} bytes at {@code at}, moving what follows; the gap's content is undefined. */
  void insertGap(int at, int len) {
    ensure(len);
    System.arraycopy(buf, at, buf, at + len, size - at);
    size += len;
  }

  /** Writes {@code v} as golib's decimal at {@code at}, in a gap of exactly {@link #decimalWidth}+1 bytes. */
  void putDecimalAt(int at, long v) {
    int n = decimalWidth(v);
    buf[at++] = (byte) n;
    for (int shift = (n - 1) * 8; shift >= 0; shift -= 8) {
      buf[at++] = (byte) (v >>> shift);
    }
  }

  static int decimalWidth(long v) {
    if (v == 0) {
      return 0;
    } else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
      return 1;
    } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
      return 2;
    } else if (v >= -0x800000L && v <= 0x7fffffL) {
      return 3;
    } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
      return 4;
    } else if (v >= -0x8000000000L && v <= 0x7fffffffffL) {
      return 5;
    }
    return 8;
  }

  // ---- internals ----

  private static int clampLimit(int maxBytes) {
    return maxBytes <= 0 ? 0 : Math.min(maxBytes, WireLimits.MAX_TEXT);
  }

  private static void putInt(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  private void putAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      buf[size++] = (byte) s.charAt(i);
    }
  }

  private static int decimalDigits(long v) {
    // Counting on the negative side keeps Long.MIN_VALUE exact.
    long n = v < 0 ? v : -v;
    int digits = 1;
    while (n <= -10) {
      n /= 10;
      digits++;
    }
    return v < 0 ? digits + 1 : digits;
  }

  private void putDecimalDigits(long v, int len) {
    long n = v < 0 ? v : -v;
    int p = size + len;
    do {
      buf[--p] = (byte) ('0' - (n % 10));
      n /= 10;
    } while (n != 0);
    if (v < 0) {
      buf[--p] = '-';
    }
    size += len;
  }

  /**
   * Encodes the longest prefix of {@code s} that fits in {@code limit} bytes at {@link #size};
   * the caller has ensured room for {@code min(3 * s.length(), limit)} bytes. Returns the count.
   */
  private int putUtf8(String s, int limit) {
    byte[] b = buf;
    int start = size;
    int p = start;
    int end = start + limit;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        if (p >= end) {
          break;
        }
        b[p++] = (byte) c;
      } else if (c < 0x800) {
        if (p + 2 > end) {
          break;
        }
        b[p++] = (byte) (0xc0 | (c >> 6));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
          if (p + 4 > end) {
            break;
          }
          int cp = Character.toCodePoint(c, s.charAt(++i));
          b[p++] = (byte) (0xf0 | (cp >> 18));
          b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
          b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
          b[p++] = (byte) (0x80 | (cp & 0x3f));
        } else {
          if (p >= end) {
            break;
          }
          b[p++] = '?';
        }
      } else {
        if (p + 3 > end) {
          break;
        }
        b[p++] = (byte) (0xe0 | (c >> 12));
        b[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        b[p++] = (byte) (0x80 | (c & 0x3f));
      }
    }
    size = p;
    return p - start;
  }

  /** Bytes {@link #putUtf8} would write for {@code s} under {@code limit}. */
  static int utf8Length(String s, int limit) {
    int total = 0;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      int w;
      if (c < 0x80) {
        w = 1;
      } else if (c < 0x800) {
        w = 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        w = 4;
      } else if (Character.isSurrogate(c)) {
        w = 1;
      } else {
        w = 3;
      }
      if (total + w > limit) {
        break;
      }
      total += w;
      if (w == 4) {
        i++;
      }
    }
    return total;
  }
}
