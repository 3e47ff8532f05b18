package io.whatap.vertx;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Vert.x Web server for tests: one HTTP server per event loop, all on one loopback port and
 * serving one router, so that requests really are spread over several event-loop threads.
 */
final class VertxTestServer {
  final Vertx vertx;
  final int port;

  private VertxTestServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  static VertxTestServer start(int eventLoops, Function<Vertx, Router> routes) throws Exception {
    WhatapVertx.init(); // before Vert.x exists, as the README asks (required on Vert.x 5)
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops));
    Router router = routes.apply(vertx);
    int port = -1;
    for (int i = 0; i < eventLoops; i++) {
      // a negative port: servers of several verticles share one random port (port 0 would give each its own)
      ServerVerticle server = new ServerVerticle(router);
      await(vertx.deployVerticle(server));
      if (port != -1 && server.port != port) {
        throw new IllegalStateException("servers did not share one port: " + port + " and " + server.port);
      }
      port = server.port;
    }
    return new VertxTestServer(vertx, port);
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** True on Vert.x 4, whose contexts still have the local map that Vert.x 5 removed. */
  static boolean vertx4() {
    try {
      Context.class.getMethod("putLocal", Object.class, Object.class);
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  void close() throws Exception {
    await(vertx.close());
  }

  /** Each deployment gets an event-loop context of its own; servers on one port share the connections. */
  private static final class ServerVerticle extends AbstractVerticle {
    private final Router router;
    volatile int port;

    ServerVerticle(Router router) {
      this.router = router;
    }

    @Override
    public void start(Promise<Void> started) {
      HttpServerOptions options = new HttpServerOptions().setMaxInitialLineLength(64 * 1024).setMaxHeaderSize(64 * 1024);
      vertx.createHttpServer(options).requestHandler(router).listen(-1, "127.0.0.1").onComplete(bound -> {
        if (bound.succeeded()) {
          port = bound.result().actualPort();
          started.complete();
        } else {
          started.fail(bound.cause());
        }
      });
    }
  }
}
