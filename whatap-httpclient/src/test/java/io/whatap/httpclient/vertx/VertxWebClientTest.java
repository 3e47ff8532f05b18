package io.whatap.httpclient.vertx;

import io.vertx.core.Future;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/** The client suite for Vert.x's {@code WebClient} over a traced {@code HttpClient} ({@code WebClient.wrap}). */
class VertxWebClientTest extends VertxHttpClientTest {
  private WebClient web;

  @Override
  protected void startClient() {
    super.startClient();
    web = WebClient.wrap(tracedClient());
  }

  @Override
  protected Future<Integer> tracedGet(String url) {
    return web.getAbs(url).send().map(HttpResponse::statusCode);
  }
}
