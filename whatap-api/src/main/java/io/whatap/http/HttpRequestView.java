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

  /**
   * For a framework that keeps the path in two parts (a servlet's servlet path and path info): the
   * second part, or null when {@link #path} is to be read whole. When it is not null,
   * {@link #pathHead} followed by it is the path, and the core finds a path it has seen before
   * without building the string per request.
   */
  default String pathTail(R request) {
    return null;
  }

  /** The first part of a path that {@link #pathTail} splits; read only when the tail is not null. */
  default String pathHead(R request) {
    return null;
  }

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
