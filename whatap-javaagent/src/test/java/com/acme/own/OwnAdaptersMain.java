package com.acme.own;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.whatap.Whatap;
import io.whatap.httpclient.apache.WhatapHttpClient5;
import io.whatap.httpclient.okhttp.WhatapOkHttp;
import io.whatap.jdbc.WhatapJdbc;
import io.whatap.undertow.WhatapHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.h2.jdbcx.JdbcDataSource;

/**
 * An application written for library mode, carrying its own copies of whatap-api, whatap-vertx,
 * whatap-undertow, whatap-jdbc and whatap-httpclient and registering them as their READMEs say: a
 * Vert.x router with its own {@code WhatapHandler}, an Undertow root wrapped by its own
 * {@code WhatapHandler.wrap}, a DataSource wrapped by {@code WhatapJdbc.wrap}, OkHttp with whatap's
 * interceptor and call factory, Apache HttpClient 5 through {@code WhatapHttpClient5.trace}, the JDK
 * client through {@code Whatap.httpClient}. Prints "VERTX_PORT n" and "UNDERTOW_PORT n".
 */
public final class OwnAdaptersMain {
  private static volatile int vertxPort;
  private static volatile int undertowPort;

  private OwnAdaptersMain() { }

  public static void main(String[] args) throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:own;DB_CLOSE_DELAY=-1");
    DataSource db = WhatapJdbc.wrap(h2);
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute("create table users(id int primary key, name varchar(20))");
      s.execute("insert into users values (1, 'alice'), (2, 'bob')");
    }
    OkHttpClient okhttp = new OkHttpClient.Builder().addInterceptor(WhatapOkHttp.interceptor()).build();
    Call.Factory okCalls = WhatapOkHttp.callFactory(okhttp);
    CloseableHttpClient apache = WhatapHttpClient5.trace(HttpClients.custom()).build();
    HttpClient jdk = Whatap.httpClient(HttpClient.newHttpClient());

    Vertx vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.route().order(-1).handler(io.whatap.vertx.WhatapHandler.create(vertx));
    router.get("/callee").handler(rc -> rc.response().end("callee"));
    router.get("/threads").handler(rc -> rc.response().end(threadNames()));
    // blocking calls on the event loop: short local ones, so the handler stays on the request's thread
    router.get("/v/:id").handler(rc -> vertxUser(rc, db, okCalls, apache));
    vertxPort = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
        .toCompletionStage().toCompletableFuture().get().actualPort();

    RoutingHandler routes = Handlers.routing()
        .get("/callee", exchange -> exchange.getResponseSender().send("callee"))
        .get("/u/{id}", new BlockingHandler(exchange -> undertowUser(exchange, db, jdk)));
    HttpHandler root = WhatapHandler.wrap(routes);
    Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(root).build();
    server.start();
    undertowPort = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    System.out.println("VERTX_PORT " + vertxPort);
    System.out.println("UNDERTOW_PORT " + undertowPort);
  }

  private static void vertxUser(RoutingContext rc, DataSource db, Call.Factory okCalls, CloseableHttpClient apache) {
    try {
      String name = name(db, Integer.parseInt(rc.pathParam("id")));
      String callee = "http://127.0.0.1:" + undertowPort + "/callee";
      try (okhttp3.Response r = okCalls.newCall(new Request.Builder().url(callee + "?via=okhttp").build()).execute()) {
        r.body().string();
      }
      String viaApache = apache.execute(new HttpGet(callee + "?via=apache"), r -> EntityUtils.toString(r.getEntity()));
      rc.response().end("v " + name + " " + viaApache);
    } catch (Exception e) {
      rc.fail(e);
    }
  }

  private static void undertowUser(HttpServerExchange exchange, DataSource db, HttpClient jdk) throws Exception {
    String name = name(db, Integer.parseInt(exchange.getQueryParameters().get("id").getFirst()));
    HttpResponse<String> r = jdk.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + vertxPort
        + "/callee?via=jdk")).build(), HttpResponse.BodyHandlers.ofString());
    exchange.getResponseSender().send("u " + name + " " + r.body());
  }

  private static String name(DataSource db, int id) throws Exception {
    try (Connection c = db.getConnection();
        PreparedStatement ps = c.prepareStatement("select name from users where id = ?")) {
      ps.setInt(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : "";
      }
    }
  }

  /** This JVM's live threads by name, with a count each: "whatap-sender=1 ...". */
  private static String threadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .collect(Collectors.groupingBy(Thread::getName, TreeMap::new, Collectors.counting()))
        .entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
  }
}
