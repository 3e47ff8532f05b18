package com.acme.undertow;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.RoutingHandler;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An Undertow core-handler application with no WhaTap code. Prints "PORT n". */
public final class UndertowMain {
  private UndertowMain() { }

  public static void main(String[] args) {
    RoutingHandler routes = Handlers.routing()
        .get("/users/{id}", exchange -> {
          String id = exchange.getQueryParameters().get("id").getFirst();
          exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain");
          exchange.getResponseSender().send("user " + id);
        })
        .get("/boom", exchange -> {
          throw new IllegalStateException("acme undertow failure");
        })
        // dispatched (so Undertow does not end the exchange when the handler returns), then
        // completed later from another thread
        .get("/later/{ms}", exchange -> exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
          long ms = Long.parseLong(exchange.getQueryParameters().get("ms").getFirst());
          CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS).execute(() -> {
            exchange.setStatusCode(202);
            exchange.getResponseSender().send("later " + ms);
          });
        }));
    Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(routes).build();
    server.start();
    int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    System.out.println("PORT " + port);
  }
}
