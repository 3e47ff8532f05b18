package io.whatap.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Short protocol texts seen before, looked up by their bytes: a receiver decodes the same host,
 * URL, client address and user agent for every transaction of an application, and with this
 * gets one shared {@code String} (its hash computed once) instead of a new array and string per
 * field. Direct-mapped; a collision replaces the older text. Safe to share between threads: a
 * slot holds one immutable entry, so a race costs a miss, never a wrong text.
 */
public final class TextCache {
    /** Longer texts (SQL, stacks, messages) are rarely identical byte for byte, and hashing them costs as much as decoding. */
    static final int MAX_BYTES = 96;

    private static final class Entry {
        final int hash;
        final byte[] bytes;
        final String text;

        Entry(int hash, byte[] bytes, String text) {
            this.hash = hash;
            this.bytes = bytes;
            this.text = text;
        }
    }

    private final Entry[] slots;
    private final int mask;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The length and the first and last eight bytes, mixed: a few instructions where a byte-by-byte
     * hash of a 40-byte URL is a chain of 40 multiplies. Texts that differ only in the middle of
     * a long run share a slot and replace each other; the byte compare keeps every answer right.
     */
    static int hash(byte[] b, int off, int n) {
        long x;
        if (n >= 8) {
            x = (long) LONGS.get(b, off) * 0x9E3779B97F4A7C15L ^ (long) LONGS.get(b, off + n - 8);
        } else {
            x = 0;
            for (int i = 0; i < n; i++) {
                x = x << 8 | (b[off + i] & 0xff);
            }
        }
        x = (x ^ n) * 0xBF58476D1CE4E5B9L;
        return (int) (x ^ (x >>> 31) ^ (x >>> 47));
    }

    /** A cache of {@code slots} entries, rounded up to a power of two (at least 16). */
    public TextCache(int slots) {
        int n = Integer.highestOneBit(Math.max(16, Math.min(slots, 1 << 20)) - 1) << 1;
        this.slots = new Entry[n];
        this.mask = n - 1;
    }

    /** The UTF-8 text in {@code b[off, off + n)}, as {@code new String(b, off, n, UTF_8)} would give it. */
    String text(byte[] b, int off, int n) {
        if (n > MAX_BYTES) {
            return new String(b, off, n, StandardCharsets.UTF_8);
        }
        int h = hash(b, off, n);
        int slot = h & mask;
        Entry e = slots[slot];
        if (e != null && e.hash == h && Arrays.equals(e.bytes, 0, e.bytes.length, b, off, off + n)) {
            return e.text;
        }
        byte[] copy = Arrays.copyOfRange(b, off, off + n);
        String text = new String(copy, StandardCharsets.UTF_8);
        slots[slot] = new Entry(h, copy, text);
        return text;
    }
}
