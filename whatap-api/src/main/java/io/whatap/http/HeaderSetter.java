package io.whatap.http;

/**
 * Writes one header on an outgoing request of some HTTP client library ({@code carrier} is that
 * library's request or request builder). One stateless instance per library, so a hook allocates
 * nothing for it.
 */
@FunctionalInterface
public interface HeaderSetter<C> {
  void set(C carrier, String name, String value);
}
