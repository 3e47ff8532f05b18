package io.whatap.wire;

/**
 * golib's {@code util/hexa32} number text, used in WhaTap's multi-transaction headers: plain
 * decimal for 0–9, {@code 'x'} + base 32 (digits {@code 0-9a-v}) for larger values, {@code 'z'} +
 * the base-32 magnitude for negative values ({@code Long.MIN_VALUE} is {@code "z8000000000000"}).
 *
 * <p>Parsing is stricter than golib's, which returns 0 for anything it cannot read: the input
 * comes from untrusted HTTP headers, so a malformed value is reported, never guessed at. At most
 * {@link #MAX_LENGTH} characters are looked at.
 */
public final class Hexa32 {
  /** Longest valid text: a signed 19-digit decimal ("-9223372036854775808"). */
  public static final int MAX_LENGTH = 20;

  private static final char[] DIGITS = "0123456789abcdefghijklmnopqrstuv".toCharArray();

  /** {@link #parse} yields the magnitude negated (always <= 0), so a positive number can flag failure. */
  private static final long FAIL = 1;

  private Hexa32() {
  }

  public static String toString32(long v) {
    if (v >= 0 && v < 10) {
      return String.valueOf((char) ('0' + v));
    }
    char[] out = new char[14];
    int p = out.length;
    // Convert on the negative side so that Long.MIN_VALUE needs no special case.
    long n = v < 0 ? v : -v;
    do {
      out[--p] = DIGITS[(int) -(n % 32)];
      n /= 32;
    } while (n != 0);
    out[--p] = v < 0 ? 'z' : 'x';
    return new String(out, p, out.length - p);
  }

  /**
   * Parses what {@link #toString32} writes, and plain decimal (golib falls back to {@code Atoi}).
   *
   * @throws NumberFormatException for null, empty, over-long, out-of-range or non-digit input
   */
  public static long toLong32(String s) {
    long acc = parse(s);
    if (acc == FAIL) {
      throw new NumberFormatException("not a hexa32 number: " + describe(s));
    }
    return valueOf(s, acc);
  }

  /** Like {@link #toLong32(String)} but returns {@code ifMalformed} instead of throwing: cheap on hostile input. */
  public static long toLong32(String s, long ifMalformed) {
    long acc = parse(s);
    return acc == FAIL ? ifMalformed : valueOf(s, acc);
  }

  private static long valueOf(String s, long acc) {
    char first = s.charAt(0);
    return first == 'z' || first == '-' ? acc : -acc;
  }

  private static long parse(String s) {
    if (s == null) {
      return FAIL;
    }
    int len = s.length();
    if (len == 0 || len > MAX_LENGTH) {
      return FAIL;
    }
    switch (s.charAt(0)) {
      case 'x': return negatedMagnitude(s, 1, 32, false);
      case 'z': return negatedMagnitude(s, 1, 32, true);
      case '-': return negatedMagnitude(s, 1, 10, true);
      case '+': return negatedMagnitude(s, 1, 10, false);
      default: return negatedMagnitude(s, 0, 10, false);
    }
  }

  /**
   * Accumulates on the negative side (like Long.parseLong) so that -2^63 is reachable for a
   * negative text while a positive one stops at -Long.MAX_VALUE. ASCII digits only.
   */
  private static long negatedMagnitude(String s, int from, int radix, boolean negative) {
    int len = s.length();
    if (from >= len) {
      return FAIL;
    }
    long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
    long multMin = limit / radix;
    long result = 0;
    for (int i = from; i < len; i++) {
      int d = digit(s.charAt(i), radix);
      if (d < 0 || result < multMin) {
        return FAIL;
      }
      result *= radix;
      if (result < limit + d) {
        return FAIL;
      }
      result -= d;
    }
    return result;
  }

  private static int digit(char c, int radix) {
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'z') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'Z') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    return d < radix ? d : -1;
  }

  private static String describe(String s) {
    if (s == null) {
      return "null";
    }
    return s.length() > MAX_LENGTH ? "a text of " + s.length() + " characters" : '"' + s + '"';
  }
}
