package io.whatap.bench.apps;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.util.Headers;
import io.whatap.undertow.WhatapHandler;
import java.net.InetSocketAddress;

/** Undertow (core) answering on the IO thread; wrapped by WhatapHandler. Brave has no Undertow instrumentation. */
final class UndertowHello {
  private UndertowHello() { }

  static HelloApp.Server start(String config, int port) {
    HttpHandler hello = exchange -> {
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
