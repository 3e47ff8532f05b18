package io.whatap.http;

import java.util.function.Function;

/**
 * The text of a peer address, remembered per address object. Key it by an object the server
 * keeps for the life of a connection (Vert.x's {@code SocketAddress}, the {@code InetAddress}
 * inside XNIO's per-call {@code InetSocketAddress}): a key that is new on every request misses
 * every time and costs more than formatting. Formatting ({@code InetAddress.getHostAddress()})
 * builds a new string each time; this returns the one built for the connection's first request,
 * the same instance every time, which also makes {@link SharedStrings#share} a compare of
 * references. Fixed slots by identity hash, replaced on a collision, no lock: a race costs a
 * miss, never a wrong text (a slot holds one immutable entry).
 */
public final class AddressText<A> {
  private static final class Entry {
    final Object address;
    final String text;

    Entry(Object address, String text) {
      this.address = address;
      this.text = text;
    }
  }

  private final Entry[] slots;
  private final int mask;
  private final Function<A, String> format;

  /** {@code format} turns an address into its text (null allowed); it must not capture per-request state. */
  public AddressText(int capacity, Function<A, String> format) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    this.slots = new Entry[size];
    this.mask = size - 1;
    this.format = format;
  }

  /** The text of {@code address}; null for null. */
  public String of(A address) {
    if (address == null) {
      return null;
    }
    int h = System.identityHashCode(address);
    int i = (h ^ (h >>> 16)) & mask;
    Entry e = slots[i];
    if (e != null && e.address == address) {
      return e.text;
    }
    String text = format.apply(address);
    slots[i] = new Entry(address, text);
    return text;
  }
}
