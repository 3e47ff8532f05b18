package io.whatap.vertx;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import io.whatap.http.HttpRequestView;
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
    String host = request.getHeader("host");
    if (host != null) {
      return host;
    }
    // HTTP/2 carries :authority instead of a Host header
    HostAndPort authority = request.authority();
    return authority == null ? null : authority.toString();
  }

  @Override
  public String header(HttpServerRequest request, String name) {
    return request.getHeader(name);
  }

  @Override
  public String remoteAddr(HttpServerRequest request) {
    SocketAddress address = request.remoteAddress();
    return address == null ? null : address.hostAddress();
  }

  @Override
  public void forEachHeader(HttpServerRequest request, BiConsumer<String, String> consumer) {
    request.headers().forEach(consumer);
  }
}
