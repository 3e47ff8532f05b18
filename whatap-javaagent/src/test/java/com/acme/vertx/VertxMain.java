package com.acme.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.whatap.vertx.WhatapHandler;
import io.whatap.vertx.WhatapVertx;

/**
 * A Vert.x Web application (written against calls Vert.x 4.5 and 5 share) with no WhaTap code on
 * its main router, and a second router that registers whatap-vertx's WhatapHandler by hand, as a
 * library-mode user does. Prints "PORT n" and "HAND_PORT n".
 */
public final class VertxMain {
  private VertxMain() { }

  public static void main(String[] args) throws Exception {
    // for the router below that registers WhatapHandler by hand, as whatap-vertx's README says
    WhatapVertx.init();
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/users/:id").handler(rc -> rc.response().end("user " + rc.pathParam("id")));
    router.get("/boom").handler(rc -> {
      throw new IllegalStateException("acme vertx failure");
    });
    // answers from a timer, after the handler returned: the transaction ends with the response
    router.get("/later/:ms").handler(rc -> {
      long ms = Long.parseLong(rc.pathParam("ms"));
      vertx.setTimer(ms, t -> rc.response().setStatusCode(202).end("later " + ms));
    });
    router.get("/marker").handler(rc -> rc.response().end("marker"));
    Router api = Router.router(vertx);
    api.get("/items/:item").handler(rc -> rc.response().end("item " + rc.pathParam("item")));
    router.route("/api/*").subRouter(api);
    System.out.println("PORT " + listen(vertx, router).actualPort());

    Router hand = Router.router(vertx);
    hand.route().order(-1).handler(WhatapHandler.create(vertx));
    hand.get("/hand/:id").handler(rc -> rc.response().end("hand " + rc.pathParam("id")));
    System.out.println("HAND_PORT " + listen(vertx, hand).actualPort());
  }

  private static HttpServer listen(Vertx vertx, Router router) throws Exception {
    return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get();
  }
}
