package io.whatap.demo;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.whatap.httpclient.vertx.WhatapVertxClient;
import io.whatap.vertx.WhatapHandler;
import io.whatap.vertx.WhatapVertx;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A Vert.x Web router with {@link WhatapHandler} as its first route. The routes block (JDBC, and
 * they wait for the peer's answer), so they run in a {@code blockingHandler}, off the event loop,
 * where the request's transaction still reaches them through its Vert.x context. /checkout calls
 * the peer with the Vert.x HttpClient traced by {@link WhatapVertxClient#trace} (whatap-httpclient).
 */
public final class VertxDemoServer implements DemoServer {
  private Vertx vertx;

  /**
   * Created on first use ({@link #peerClient} comes before {@link #start}): the launcher also makes
   * a server only to print its {@link #description}, and must not start a Vert.x for that.
   */
  private synchronized Vertx vertx() {
    if (vertx == null) {
      WhatapVertx.init(); // before Vert.x exists, so the agent's context slot is in it
      vertx = Vertx.vertx();
    }
    return vertx;
  }

  @Override
  public int start(int port, DemoRoutes routes) throws Exception {
    Vertx vertx = vertx();
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

  /**
   * The Vert.x client, traced. The route runs on a worker thread (blockingHandler), so it may wait
   * for the answer; the step starts in {@code request(...)} on that thread, inside the transaction.
   */
  @Override
  public PeerClient peerClient() {
    HttpClient client = WhatapVertxClient.trace(vertx().createHttpClient(new HttpClientOptions().setConnectTimeout(2000)));
    return url -> {
      try {
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
            .compose(request -> request.send().compose(response -> response.body().map(body -> response.statusCode())))
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException("GET " + url + " failed", e.getCause() == null ? e : e.getCause());
      }
    };
  }

  @Override
  public String description() {
    return "Vert.x Web 4.5 + WhatapHandler (first route of the Router), Vert.x HttpClient + WhatapVertxClient";
  }

  @Override
  public synchronized void close() {
    if (vertx == null) {
      return;
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the JVM exits right after: nothing left to release
    }
  }
}
