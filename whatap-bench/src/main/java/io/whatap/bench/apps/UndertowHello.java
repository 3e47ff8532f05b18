package io.whatap.bench.apps;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import io.whatap.undertow.WhatapHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Undertow (core) answering on the IO thread (hello, a handler that throws, and an exchange ended
 * by a timer); wrapped by WhatapHandler. Brave has no Undertow instrumentation.
 */
final class UndertowHello {
  private UndertowHello() { }

  static HelloApp.Server start(String config, int port) {
    HttpHandler hello = exchange -> {
      String path = exchange.getRequestPath();
      if (path.equals(HelloApp.ERROR_PATH)) {
        throw new IllegalStateException(HelloApp.ERROR_MESSAGE); // Undertow answers 500
      }
      if (path.equals(HelloApp.ASYNC_PATH)) {
        // Undertow core has no async timeout of its own: the exchange is dispatched (kept open past
        // the handler) and a timer on its IO thread ends it with 503, as an application's timeout would.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> exchange.getIoThread().executeAfter(() -> {
          exchange.setStatusCode(503);
          exchange.endExchange();
        }, HelloApp.asyncTimeoutMs(), TimeUnit.MILLISECONDS));
        return;
      }
      exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
      exchange.getResponseSender().send(HelloApp.BODY);
    };
    HttpHandler root;
    if (config.equals("whatap")) {
      root = WhatapHandler.wrap(hello);
    } else if (config.equals("brave")) {
      throw new IllegalArgumentException("Brave has no Undertow instrumentation");
    } else {
      root = hello;
    }
    Undertow server = Undertow.builder().addHttpListener(port, "127.0.0.1").setHandler(root).build();
    server.start();
    int actual = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    return new HelloApp.Server() {
      @Override
      public int port() {
        return actual;
      }

      @Override
      public void stop() {
        server.stop();
      }
    };
  }
}
