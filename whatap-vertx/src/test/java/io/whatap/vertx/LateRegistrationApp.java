package io.whatap.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.whatap.Whatap;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * An application that creates Vert.x before any WhaTap class is initialized, as most do; run in
 * a JVM of its own by {@link StartupOrderTest}. Prints how the request's transaction was seen.
 */
public final class LateRegistrationApp {
  private LateRegistrationApp() { }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().order(-1).handler(WhatapHandler.create(vertx));
    router.get("/late").handler(rc -> {
      long inHandler = Whatap.currentTransaction().txid();
      rc.vertx().setTimer(5, t -> {
        long inTimer = Whatap.currentTransaction().txid();
        rc.response().end("mode=" + VertxContextStore.mode() + " handler=" + (inHandler != 0)
            + " timer=" + (inTimer != 0 && inTimer == inHandler));
      });
    });
    HttpServer server = VertxTestServer.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/late"))
        .timeout(Duration.ofSeconds(10)).build();
    System.out.println(client.send(request, HttpResponse.BodyHandlers.ofString()).body());
    VertxTestServer.await(vertx.close());
  }
}
