package io.whatap.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.whatap.vertx.WhatapHandler;
import io.whatap.vertx.WhatapVertx;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x Web router with {@link WhatapHandler} as its first route. The routes sleep (they stand in
 * for JDBC and blocking HTTP calls), so they run in a {@code blockingHandler}, off the event loop,
 * where the request's transaction still reaches them through its Vert.x context.
 */
public final class VertxDemoServer implements DemoServer {
  private Vertx vertx;

  @Override
  public int start(int port, DemoRoutes routes) throws Exception {
    WhatapVertx.init(); // before Vert.x exists, so the agent's context slot is in it
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().order(-1).handler(WhatapHandler.create(vertx));
    // unordered: requests are independent, and /slow must not queue the fast ones behind it
    router.route().blockingHandler(ctx -> {
      try {
        DemoRoutes.Reply reply = routes.handle(ctx.request().method().name(), ctx.request().path());
        ctx.response().setStatusCode(reply.status()).putHeader("content-type", reply.contentType()).end(reply.body());
      } catch (Exception e) {
        ctx.fail(e);
      }
    }, false);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    return server.actualPort();
  }

  @Override
  public String description() {
    return "Vert.x Web 4.5 + WhatapHandler (first route of the Router)";
  }

  @Override
  public void close() {
    if (vertx != null) {
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // the JVM exits right after: nothing left to release
      }
    }
  }
}
