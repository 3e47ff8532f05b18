package io.whatap.vertx;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Vert.x 5 server whose HTTP servers live in virtual-thread verticles
 * ({@link ThreadingModel#VIRTUAL_THREAD}): every request's handlers run on a virtual thread of
 * the verticle's context and may block with {@code Future.await()}. Several verticles share
 * one loopback port.
 */
public final class VirtualThreadVertxServer implements AutoCloseable {
  private final Vertx vertx;
  private final int port;

  private VirtualThreadVertxServer(Vertx vertx, int port) {
    this.vertx = vertx;
    this.port = port;
  }

  public static VirtualThreadVertxServer start(int verticles, Function<Vertx, Router> routes) throws Exception {
    WhatapVertx.init(); // before Vert.x exists, as whatap-vertx's README asks (required on Vert.x 5)
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(verticles));
    Router router = routes.apply(vertx);
    int port = -1;
    for (int i = 0; i < verticles; i++) {
      ServerVerticle server = new ServerVerticle(router);
      vertx.deployVerticle(server, new DeploymentOptions().setThreadingModel(ThreadingModel.VIRTUAL_THREAD))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      if (port != -1 && server.port != port) {
        throw new IllegalStateException("servers did not share one port: " + port + " and " + server.port);
      }
      port = server.port;
    }
    return new VirtualThreadVertxServer(vertx, port);
  }

  public Vertx vertx() {
    return vertx;
  }

  public String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static final class ServerVerticle extends AbstractVerticle {
    private final Router router;
    volatile int port;

    ServerVerticle(Router router) {
      this.router = router;
    }

    @Override
    public void start() {
      // a virtual-thread verticle may block its own thread: await the bind instead of chaining callbacks;
      // a negative port: the servers of several verticles share one random port
      HttpServerOptions options = new HttpServerOptions().setMaxInitialLineLength(64 * 1024).setMaxHeaderSize(64 * 1024);
      port = vertx.createHttpServer(options).requestHandler(router).listen(-1, "127.0.0.1").await().actualPort();
    }
  }
}
