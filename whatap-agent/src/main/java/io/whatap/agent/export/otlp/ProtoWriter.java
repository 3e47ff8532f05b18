package io.whatap.agent.export.otlp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few protobuf encodings OTLP needs, written by hand so the agent carries no protobuf runtime:
 * varints, fixed64, doubles, length-delimited strings and bytes, and nested messages. A nested
 * message is opened with {@link #begin} and closed with {@link #end}, which writes its length in
 * front (moving the body when the length needs more than one byte). Field numbers are OTLP's (see
 * opentelemetry-proto's trace.proto, metrics.proto and common.proto).
 */
final class ProtoWriter {
  private static final int WIRE_VARINT = 0;
  private static final int WIRE_FIXED64 = 1;
  private static final int WIRE_LENGTH = 2;

  private byte[] buf;
  private int pos;
  private int[] open = new int[16];
  private int depth;

  ProtoWriter(int capacity) {
    buf = new byte[Math.max(64, capacity)];
  }

  byte[] toByteArray() {
    if (depth != 0) {
      throw new IllegalStateException(depth + " nested messages not ended");
    }
    return Arrays.copyOf(buf, pos);
  }

  /** Opens nested message {@code field}; its length is written by {@link #end}. */
  ProtoWriter begin(int field) {
    tag(field, WIRE_LENGTH);
    ensure(1);
    if (depth == open.length) {
      open = Arrays.copyOf(open, depth * 2);
    }
    open[depth++] = pos;
    buf[pos++] = 0; // the length's first byte, the usual case
    return this;
  }

  ProtoWriter end() {
    int at = open[--depth];
    int bodyStart = at + 1;
    int len = pos - bodyStart;
    int size = varintSize(len);
    if (size > 1) {
      ensure(size - 1);
      System.arraycopy(buf, bodyStart, buf, bodyStart + size - 1, len);
      pos += size - 1;
    }
    writeVarintAt(at, len);
    return this;
  }

  ProtoWriter string(int field, String s) {
    if (s == null || s.isEmpty()) {
      return this;
    }
    return bytes(field, s.getBytes(StandardCharsets.UTF_8));
  }

  ProtoWriter bytes(int field, byte[] b) {
    tag(field, WIRE_LENGTH);
    varint(b.length);
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
    return this;
  }

  /** A 64-bit id as 8 big-endian bytes (span ids), or 16 with {@code high} first (trace ids). */
  ProtoWriter id(int field, long high, long low, boolean wide) {
    byte[] b = new byte[wide ? 16 : 8];
    int i = 0;
    if (wide) {
      for (int s = 56; s >= 0; s -= 8) {
        b[i++] = (byte) (high >>> s);
      }
    }
    for (int s = 56; s >= 0; s -= 8) {
      b[i++] = (byte) (low >>> s);
    }
    return bytes(field, b);
  }

  /** An int32, int64, uint32, bool or enum field (0 is the default and is left out). */
  ProtoWriter uint64(int field, long v) {
    if (v == 0) {
      return this;
    }
    tag(field, WIRE_VARINT);
    varint(v);
    return this;
  }

  /** A bool field written even when false (a oneof member, whose presence is the value). */
  ProtoWriter boolAlways(int field, boolean v) {
    tag(field, WIRE_VARINT);
    varint(v ? 1 : 0);
    return this;
  }

  /** An int64 written even when 0 (a oneof member). */
  ProtoWriter int64Always(int field, long v) {
    tag(field, WIRE_VARINT);
    varint(v);
    return this;
  }

  /** A fixed64 or sfixed64 field. */
  ProtoWriter fixed64(int field, long v) {
    tag(field, WIRE_FIXED64);
    fixed64Raw(v);
    return this;
  }

  /** A double field, written even when 0 (oneof members and optional fields). */
  ProtoWriter doubleAlways(int field, double v) {
    return fixed64(field, Double.doubleToRawLongBits(v));
  }

  /** A packed repeated fixed64 field. */
  ProtoWriter packedFixed64(int field, long[] values) {
    tag(field, WIRE_LENGTH);
    varint(values.length * 8L);
    for (long v : values) {
      fixed64Raw(v);
    }
    return this;
  }

  /** A packed repeated double field. */
  ProtoWriter packedDouble(int field, double[] values) {
    tag(field, WIRE_LENGTH);
    varint(values.length * 8L);
    for (double v : values) {
      fixed64Raw(Double.doubleToRawLongBits(v));
    }
    return this;
  }

  private void fixed64Raw(long v) {
    ensure(8);
    for (int s = 0; s < 64; s += 8) {
      buf[pos++] = (byte) (v >>> s);
    }
  }

  private void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  private void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[pos++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[pos++] = (byte) v;
  }

  private void writeVarintAt(int at, int v) {
    while ((v & ~0x7F) != 0) {
      buf[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[at] = (byte) v;
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private void ensure(int more) {
    if (pos + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }
  }
}
