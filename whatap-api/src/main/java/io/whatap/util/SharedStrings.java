package io.whatap.util;

/**
 * Hands out one instance for strings that come back request after request (the Host header,
 * a client address, a user agent, a method). The request thread pays a hash and a compare;
 * in return the sender, on another core, reads a string it has read many times before and
 * still holds in its cache, instead of a fresh object the request thread has just written,
 * which costs a cache-line transfer per field. A fixed table of slots, replaced on a collision,
 * read and written without a lock: a lost update only costs a later miss, and a String is
 * safely published through its final fields.
 */
public final class SharedStrings {
  /** Longer strings are passed through: hashing them costs more than the sender saves. */
  public static final int MAX_LENGTH = 256;

  private final String[] slots;
  private final int mask;

  public SharedStrings(int capacity) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    slots = new String[size];
    mask = size - 1;
  }

  /** {@code s}, or an equal string handed out before; null for null. */
  public String share(String s) {
    if (s == null || s.length() > MAX_LENGTH) {
      return s;
    }
    int h = s.hashCode();
    int i = (h ^ (h >>> 16)) & mask;
    String seen = slots[i];
    if (seen != null && (seen == s || (seen.hashCode() == h && seen.equals(s)))) {
      return seen;
    }
    slots[i] = s;
    return s;
  }
}
