package io.whatap.demo;

import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import io.whatap.undertow.WhatapHandler;
import java.net.InetSocketAddress;

/**
 * Undertow with the application's handler wrapped by {@link WhatapHandler#wrap}. The routes block,
 * so a {@link BlockingHandler} moves them to a worker thread; the transaction follows the dispatch.
 */
public final class UndertowDemoServer implements DemoServer {
  private Undertow server;

  @Override
  public int start(int port, DemoRoutes routes) {
    server = Undertow.builder()
        .addHttpListener(port, "127.0.0.1")
        .setHandler(WhatapHandler.wrap(new BlockingHandler(exchange -> serve(routes, exchange))))
        .build();
    server.start();
    return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
  }

  /** The application's failures are thrown on: Undertow answers 500 and the wrapper records them. */
  private static void serve(DemoRoutes routes, HttpServerExchange exchange) throws Exception {
    DemoRoutes.Reply reply = routes.handle(exchange.getRequestMethod().toString(), exchange.getRequestPath());
    exchange.setStatusCode(reply.status());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, reply.contentType());
    exchange.getResponseSender().send(reply.body());
  }

  @Override
  public String description() {
    return "Undertow 2.3 + WhatapHandler.wrap(handler)";
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop();
    }
  }
}
