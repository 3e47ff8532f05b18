package io.whatap.http;

import java.util.function.BiConsumer;

/**
 * How an adapter reads its framework's request. An adapter implements it once, as a stateless
 * singleton over the framework's request type, so reading a request allocates nothing.
 * Every method may return null when the framework does not know the value.
 *
 * @param <R> the framework's request type
 */
public interface HttpRequestView<R> {
  String method(R request);

  /** The request path without the query string, as received (not decoded). */
  String path(R request);

  /** The query string without '?', or null. */
  String query(R request);

  /** The Host header (with port) or the server name. */
  String host(R request);

  /** One header value by name; names arrive lower-case and must be matched case-insensitively. */
  String header(R request, String name);

  /** The peer's IP address as the socket saw it. */
  String remoteAddr(R request);

  /** The framework's route template when it is known at request start (e.g. "/users/:id"). */
  default String route(R request) {
    return null;
  }

  /** Every header, for capture with a wildcard; only called when capture is configured. */
  default void forEachHeader(R request, BiConsumer<String, String> consumer) { }
}
