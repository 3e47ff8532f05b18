package loadapp;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.whatap.Transaction;
import io.whatap.vertx.WhatapHandler;

/**
 * GET /load for a virtual-thread verticle: counts the request, records a step, hands work to a
 * new virtual thread through {@code Whatap.wrap} and awaits it; every {@value #WAIT_EVERY}th
 * request also waits on a Vert.x timer with {@code Future.await()} (other requests of the same
 * context run meanwhile) and checks that it still sees its own transaction; answers 200 "ok".
 */
public final class LoadRouter {
  static final int WAIT_EVERY = 16;

  private LoadRouter() { }

  public static Router create(Vertx vertx, LoadCounters counters) {
    Router router = Router.router(vertx);
    router.route().order(-1).handler(WhatapHandler.create(vertx));
    router.get("/load").handler(rc -> {
      Transaction tx = counters.onRequest();
      Future.fromCompletionStage(counters.hop(tx)).await();
      if (counters.requests.sum() % WAIT_EVERY == 0) {
        vertx.timer(1).await();
        counters.afterWait(tx);
      }
      rc.response().putHeader("Content-Type", "text/plain").end("ok");
    });
    return router;
  }
}
