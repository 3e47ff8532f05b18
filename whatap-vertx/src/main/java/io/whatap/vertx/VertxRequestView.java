package io.whatap.vertx;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.whatap.http.HttpRequestView;
import io.whatap.internal.AddressText;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/** Reads a Vert.x request for the core; written against calls that exist in Vert.x 4.5 and 5. */
enum VertxRequestView implements HttpRequestView<HttpServerRequest> {
  INSTANCE;

  @Override
  public String method(HttpServerRequest request) {
    return request.method().name();
  }

  @Override
  public String path(HttpServerRequest request) {
    return request.path();
  }

  @Override
  public String query(HttpServerRequest request) {
    return request.query();
  }

  @Override
  public String host(HttpServerRequest request) {
    String host = request.getHeader(HttpHeaders.HOST);
    if (host != null) {
      return host;
    }
    // HTTP/2 carries :authority instead of a Host header
    HostAndPort authority = request.authority();
    return authority == null ? null : authority.toString();
  }

  @Override
  public String header(HttpServerRequest request, String name) {
    return request.getHeader(headerName(name));
  }

  /**
   * The names the core asks for come from the configuration and from constants: a handful of
   * strings, asked for on every request. Vert.x hashes a {@code String} name case-insensitively
   * on every lookup; the {@link HttpHeaders#createOptimized} form carries its hash.
   */
  private static final ConcurrentHashMap<String, CharSequence> NAMES = new ConcurrentHashMap<>();
  private static final int NAMES_MAX = 256;

  static CharSequence headerName(String name) {
    CharSequence h = NAMES.get(name);
    if (h == null) {
      h = HttpHeaders.createOptimized(name);
      if (NAMES.size() < NAMES_MAX) {
        NAMES.putIfAbsent(name, h);
      }
    }
    return h;
  }

  /**
   * The peer of the connection. Not {@code request.remoteAddress()}: on a Vert.x Web request that
   * first works out the whole forwarded view of the request (host, scheme, authority parsed from
   * headers), which cost more than everything else the agent does on the event loop; client-IP
   * headers are the core's business ({@code trace_http_client_ip_header_key}).
   */
  @Override
  public String remoteAddr(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    return PEERS.of(connection != null ? connection.remoteAddress() : request.remoteAddress());
  }

  /** A connection keeps its peer address object; its text is built once per connection. */
  private static final AddressText<SocketAddress> PEERS = new AddressText<>(1024, SocketAddress::hostAddress);

  @Override
  public void forEachHeader(HttpServerRequest request, BiConsumer<String, String> consumer) {
    request.headers().forEach(consumer);
  }
}
