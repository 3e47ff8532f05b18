package io.whatap.bench.apps;

import brave.vertx.web.VertxWebTracing;
import io.whatap.bench.BraveNoop;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.TimeoutHandler;
import io.whatap.vertx.WhatapHandler;
import io.whatap.vertx.WhatapVertx;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x Web with a hello route, a failing one and one never answered (TimeoutHandler ends it);
 * WhaTap's or Brave's routing-context handler first.
 */
final class VertxHello {
  private VertxHello() { }

  static HelloApp.Server start(String config, int port) throws Exception {
    if (config.equals("whatap")) {
      WhatapVertx.init(); // as the README says: before Vert.x is created, so requests keep the transaction in a context slot
    }
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    if (config.equals("whatap")) {
      router.route().order(-1).handler(WhatapHandler.create(vertx));
    } else if (config.equals("brave")) {
      router.route().order(-1).handler(
          VertxWebTracing.create(BraveNoop.httpTracing("hello-vertx")).routingContextHandler());
    }
    router.get("/hello").handler(rc -> rc.response().putHeader("content-type", "text/plain").end(HelloApp.BODY));
    // A handler that throws; the route's failure handler answers 500 (Vert.x's default one would log every failure).
    router.get(HelloApp.ERROR_PATH).handler(rc -> {
      throw new IllegalStateException(HelloApp.ERROR_MESSAGE);
    }).failureHandler(rc -> rc.response().setStatusCode(500).end());
    // Never answered: TimeoutHandler fails the request with 503 after the timeout.
    router.get(HelloApp.ASYNC_PATH).handler(TimeoutHandler.create(HelloApp.asyncTimeoutMs())).handler(rc -> { });
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return new HelloApp.Server() {
      @Override
      public int port() {
        return server.actualPort();
      }

      @Override
      public void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }
    };
  }
}
