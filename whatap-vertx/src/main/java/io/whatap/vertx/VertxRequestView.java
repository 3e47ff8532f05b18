package io.whatap.vertx;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.whatap.http.HttpRequestView;
import io.whatap.http.AddressText;
import io.whatap.http.HeaderNames;
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
    return request.getHeader(NAMES.of(name));
  }

  /** Vert.x hashes a {@code String} name case-insensitively on every lookup; its optimized form carries the hash. */
  private static final HeaderNames<CharSequence> NAMES = new HeaderNames<>(HttpHeaders::createOptimized);

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
