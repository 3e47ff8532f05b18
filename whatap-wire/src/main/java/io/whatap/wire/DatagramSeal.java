package io.whatap.wire;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The optional signature of a datagram, for a local agent whose UDP intake is reachable by others
 * (net_udp_secret): a leading frame of type {@link #TYPE} whose body is the HMAC-SHA256, under the
 * shared secret, of the rest of the datagram (the frames as they would travel unsigned). WhaTap's
 * agent skips a frame type it does not know by its length, so a signed datagram stays readable to
 * it; our agent with a secret drops a datagram whose first frame is not a valid seal, and without
 * one skips the seal. It proves who sent a datagram, not when: a captured datagram can be replayed.
 *
 * <p>Not thread-safe (the {@link Mac} it holds): one per sending or receiving thread.
 */
public final class DatagramSeal {
    /** The seal's frame type: in no agent family's table (see {@link PackType}). */
    public static final int TYPE = 232;
    public static final int VERSION = 1;
    public static final int MAC_BYTES = 32;
    /** The whole seal frame: header and MAC. */
    public static final int FRAME_BYTES = WireWriter.FRAME_HEADER_BYTES + MAC_BYTES;

    private final Mac mac;
    private final byte[] expected = new byte[MAC_BYTES];

    public DatagramSeal(String secret) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    /** {@code frames[0, length)} with the seal in front: a new array, {@link #FRAME_BYTES} longer. */
    public byte[] seal(byte[] frames, int length) {
        byte[] out = new byte[FRAME_BYTES + length];
        out[0] = (byte) TYPE;
        putInt(out, 1, VERSION);
        putInt(out, 5, MAC_BYTES);
        mac.update(frames, 0, length);
        try {
            mac.doFinal(out, WireWriter.FRAME_HEADER_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        System.arraycopy(frames, 0, out, FRAME_BYTES, length);
        return out;
    }

    /**
     * Whether {@code buf[off, off+len)} starts with a valid seal of the rest; the frames then start
     * at {@code off + FRAME_BYTES}. Compares in constant time.
     */
    public boolean verify(byte[] buf, int off, int len) {
        if (!startsWithSeal(buf, off, len)) {
            return false;
        }
        mac.update(buf, off + FRAME_BYTES, len - FRAME_BYTES);
        try {
            mac.doFinal(expected, 0);
        } catch (GeneralSecurityException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, java.util.Arrays.copyOfRange(buf, off + WireWriter.FRAME_HEADER_BYTES,
                off + FRAME_BYTES));
    }

    /** Whether the datagram's first frame has the shape of a seal (for a receiver without a secret to skip it). */
    public static boolean startsWithSeal(byte[] buf, int off, int len) {
        return len >= FRAME_BYTES && (buf[off] & 0xff) == TYPE && getInt(buf, off + 1) == VERSION
                && getInt(buf, off + 5) == MAC_BYTES;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static int getInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}
