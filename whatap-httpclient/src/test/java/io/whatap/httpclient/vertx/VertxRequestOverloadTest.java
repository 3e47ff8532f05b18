package io.whatap.httpclient.vertx;

import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import java.net.URI;

/**
 * The client suite through {@code request(method, port, host, uri)}, the overload that is an
 * interface default method in 4.5 and 5: the proxy must trace it like {@code request(options)}.
 */
class VertxRequestOverloadTest extends VertxHttpClientTest {
  @Override
  protected Future<Integer> tracedGet(String url) {
    URI u = URI.create(url);
    String pathAndQuery = u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    return tracedClient().request(HttpMethod.GET, u.getPort(), u.getHost(), pathAndQuery)
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> response.statusCode()));
  }
}
