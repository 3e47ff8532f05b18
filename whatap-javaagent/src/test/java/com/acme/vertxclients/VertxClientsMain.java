package com.acme.vertxclients;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * A Vert.x Web application with no WhaTap code (calls Vert.x 4.5 and 5 share) that calls out with
 * Vert.x's {@code HttpClient} and {@code WebClient}, made the plain way. {@code /call/:client?to=URL}
 * GETs {@code to} from the route's handler and answers, from the client's completion (after the
 * handler returned), {@code status=N afterHandler=true}, or {@code error=Class|message} and what the
 * same call gave from a plain thread outside any transaction: {@code untraced=Class|message}.
 * {@code /callee/:id}: 200, remembering the x-wtap-* headers; {@code /seen/:id} answers them;
 * {@code /unavailable/:id}: 503. Prints "PORT n".
 */
public final class VertxClientsMain {
  private static final String[] NAMES = {"x-wtap-mst", "x-wtap-tx", "x-wtap-inf", "traceparent"};
  private static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  private VertxClientsMain() { }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpClient client = vertx.createHttpClient();
    WebClient web = WebClient.create(vertx);
    Router router = Router.router(vertx);
    router.get("/callee/:id").handler(rc -> {
      StringBuilder headers = new StringBuilder();
      for (String name : NAMES) {
        String value = rc.request().getHeader(name);
        if (value != null) {
          headers.append(name).append('=').append(value).append('\n');
        }
      }
      SEEN.put(rc.pathParam("id"), headers.toString());
      rc.response().end("callee");
    });
    router.get("/seen/:id").handler(rc -> rc.response().end(SEEN.getOrDefault(rc.pathParam("id"), "none")));
    router.get("/unavailable/:id").handler(rc -> rc.response().setStatusCode(503).end("unavailable"));
    router.get("/call/:client").handler(rc -> {
      String which = rc.pathParam("client");
      String to = rc.queryParams().get("to");
      boolean[] handlerReturned = {false};
      call(client, web, which, to).onComplete(done -> {
        if (done.succeeded()) {
          rc.response().end("status=" + done.result() + " afterHandler=" + handlerReturned[0]);
          return;
        }
        String traced = describe(done.cause());
        Thread plain = new Thread(() -> {
          String untraced;
          try {
            untraced = "status=" + call(client, web, which, to).toCompletionStage().toCompletableFuture().get();
          } catch (ExecutionException e) {
            untraced = describe(e.getCause());
          } catch (InterruptedException e) {
            untraced = "interrupted";
          }
          rc.response().end("error=" + traced + "\nuntraced=" + untraced);
        });
        plain.start();
      });
      handlerReturned[0] = true;
    });
    int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get().actualPort();
    System.out.println("PORT " + port);
  }

  private static Future<Integer> call(HttpClient client, WebClient web, String which, String to) {
    if (which.equals("webclient")) {
      return web.getAbs(to).send().map(response -> response.statusCode());
    }
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(to))
        .compose(HttpClientRequest::send)
        .compose(response -> response.body().map(body -> response.statusCode()));
  }

  private static String describe(Throwable t) {
    return t.getClass().getName() + "|" + t.getMessage();
  }
}
