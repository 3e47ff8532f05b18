package io.whatap.undertow;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.whatap.http.HttpRequestView;
import io.whatap.http.AddressText;
import io.whatap.http.HeaderNames;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/** Reads an Undertow exchange for the core. */
enum UndertowRequestView implements HttpRequestView<HttpServerExchange> {
  INSTANCE;

  @Override
  public String method(HttpServerExchange exchange) {
    return exchange.getRequestMethod().toString();
  }

  @Override
  public String path(HttpServerExchange exchange) {
    String uri = exchange.getRequestURI();
    if (!exchange.isHostIncludedInRequestURI()) {
      return uri;
    }
    // an absolute-form request line ("GET http://host/path"): keep the path only
    int authority = uri.indexOf("//");
    int path = authority < 0 ? -1 : uri.indexOf('/', authority + 2);
    return path < 0 ? "/" : uri.substring(path);
  }

  @Override
  public String query(HttpServerExchange exchange) {
    String query = exchange.getQueryString();
    return query == null || query.isEmpty() ? null : query;
  }

  @Override
  public String host(HttpServerExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst(Headers.HOST);
    return host != null ? host : exchange.getHostAndPort();
  }

  @Override
  public String header(HttpServerExchange exchange, String name) {
    return exchange.getRequestHeaders().getFirst(NAMES.of(name));
  }

  /** Undertow looks a {@code String} name up by copying it into a byte array and hashing that each time. */
  private static final HeaderNames<HttpString> NAMES = new HeaderNames<>(HttpString::new);

  /**
   * XNIO builds a new {@code InetSocketAddress} on every {@code getSourceAddress()}, around the
   * connection's one {@code InetAddress}: the text is remembered by the latter (keyed by the
   * fresh socket address, every lookup missed and cost twice a plain format).
   */
  private static final AddressText<InetAddress> PEERS = new AddressText<>(1024, InetAddress::getHostAddress);

  @Override
  public String remoteAddr(HttpServerExchange exchange) {
    InetSocketAddress source = exchange.getSourceAddress();
    return source == null ? null : PEERS.of(source.getAddress());
  }

  @Override
  public void forEachHeader(HttpServerExchange exchange, BiConsumer<String, String> consumer) {
    for (HeaderValues values : exchange.getRequestHeaders()) {
      String name = values.getHeaderName().toString();
      for (String value : values) {
        consumer.accept(name, value);
      }
    }
  }
}
