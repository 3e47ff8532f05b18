package io.whatap.jdkhttp;

import com.sun.net.httpserver.HttpExchange;
import io.whatap.http.HttpRequestView;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** Reads a JDK {@link HttpExchange} for the core. */
final class ExchangeView implements HttpRequestView<HttpExchange> {
  static final ExchangeView INSTANCE = new ExchangeView();

  private ExchangeView() { }

  @Override
  public String method(HttpExchange exchange) {
    return exchange.getRequestMethod();
  }

  @Override
  public String path(HttpExchange exchange) {
    return exchange.getRequestURI().getRawPath();
  }

  @Override
  public String query(HttpExchange exchange) {
    return exchange.getRequestURI().getRawQuery();
  }

  @Override
  public String host(HttpExchange exchange) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host != null) {
      return host;
    }
    InetSocketAddress local = exchange.getLocalAddress();
    return local == null ? null : local.getHostString() + ":" + local.getPort();
  }

  @Override
  public String header(HttpExchange exchange, String name) {
    return exchange.getRequestHeaders().getFirst(name);
  }

  @Override
  public String remoteAddr(HttpExchange exchange) {
    InetSocketAddress remote = exchange.getRemoteAddress();
    return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
  }

  @Override
  public void forEachHeader(HttpExchange exchange, BiConsumer<String, String> consumer) {
    for (Map.Entry<String, List<String>> e : exchange.getRequestHeaders().entrySet()) {
      for (String v : e.getValue()) {
        consumer.accept(e.getKey(), v);
      }
    }
  }
}
