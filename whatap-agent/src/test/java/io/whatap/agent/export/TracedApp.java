package io.whatap.agent.export;

import com.sun.net.httpserver.HttpServer;
import io.whatap.Whatap;
import io.whatap.jdkhttp.WhatapHttpHandler;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small traced application for the export tests, run as its own JVM (its own pid and app_name,
 * configured by -Dwhatap.*): a JDK HttpServer wrapped in WhatapHttpHandler whose handler records
 * one SQL step and, when given a downstream URL, calls it through a traced HttpClient (x-wtap-*
 * and traceparent headers go out). Prints "PORT n" once it serves; exits when stdin closes.
 *
 * <p>Arguments: the SQL statement it records, then the downstream URL or "-".
 */
public final class TracedApp {
  private TracedApp() {
  }

  public static void main(String[] args) throws Exception {
    String sql = args[0];
    String downstream = args[1].equals("-") ? null : args[1];
    HttpClient client = Whatap.httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext("/", WhatapHttpHandler.wrap(exchange -> {
      int status = 200;
      try {
        long t0 = System.currentTimeMillis();
        Whatap.sql("jdbc:h2:mem:shop", sql, t0, 2);
        if (downstream != null) {
          status = client.send(HttpRequest.newBuilder(URI.create(downstream)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString()).statusCode();
        }
      } catch (Exception e) {
        status = 502;
      }
      byte[] body = ("status " + status).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }));
    server.start();
    System.out.println("PORT " + server.getAddress().getPort());
    System.out.flush();
    while (System.in.read() >= 0) {
      // runs until the test closes our stdin (or the process is destroyed)
    }
    server.stop(0);
    System.exit(0);
  }
}
