package io.whatap.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A framework's own form of the header names the core asks for (Undertow's {@code HttpString},
 * Vert.x's optimized {@code CharSequence}: they carry a hash the framework would otherwise
 * compute per lookup from a {@code String}). The names come from the configuration and from
 * constants, a handful asked for on every request, so each is converted once; past
 * {@link #MAX} distinct names (a configuration changed many times) the new ones are converted
 * per call instead of growing the table.
 */
public final class HeaderNames<N> {
  static final int MAX = 256;

  private final ConcurrentHashMap<String, N> names = new ConcurrentHashMap<>();
  private final Function<String, N> convert;

  public HeaderNames(Function<String, N> convert) {
    this.convert = convert;
  }

  public N of(String name) {
    N n = names.get(name);
    if (n == null) {
      n = convert.apply(name);
      if (names.size() < MAX) {
        names.putIfAbsent(name, n);
      }
    }
    return n;
  }
}
