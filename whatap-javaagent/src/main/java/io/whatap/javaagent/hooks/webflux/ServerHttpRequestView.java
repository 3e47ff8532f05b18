package io.whatap.javaagent.hooks.webflux;

import io.whatap.http.HttpRequestView;
import io.whatap.http.AddressText;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** Reads a WebFlux request for the core; written against calls that exist in Spring Framework 6 and 7. */
enum ServerHttpRequestView implements HttpRequestView<ServerHttpRequest> {
  INSTANCE;

  @Override
  public String method(ServerHttpRequest request) {
    return request.getMethod().name();
  }

  @Override
  public String path(ServerHttpRequest request) {
    return request.getPath().value();
  }

  @Override
  public String query(ServerHttpRequest request) {
    return request.getURI().getRawQuery();
  }

  @Override
  public String host(ServerHttpRequest request) {
    return request.getHeaders().getFirst("Host");
  }

  @Override
  public String header(ServerHttpRequest request, String name) {
    return request.getHeaders().getFirst(name);
  }

  @Override
  public String remoteAddr(ServerHttpRequest request) {
    InetSocketAddress remote = request.getRemoteAddress();
    return remote == null ? null : PEERS.of(remote);
  }

  /** A connection keeps its peer address object; its text is built once per connection. */
  private static final AddressText<InetSocketAddress> PEERS = new AddressText<>(1024,
      a -> a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress());

  @Override
  public void forEachHeader(ServerHttpRequest request, BiConsumer<String, String> consumer) {
    for (Map.Entry<String, List<String>> header : request.getHeaders().headerSet()) {
      for (String value : header.getValue()) {
        consumer.accept(header.getKey(), value);
      }
    }
  }
}
