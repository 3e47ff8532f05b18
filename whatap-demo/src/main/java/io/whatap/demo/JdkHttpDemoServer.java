package io.whatap.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.whatap.Whatap;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's HttpServer with its handler traced by {@code Whatap.registerApp(handler)} (whatap-api
 * alone, no adapter module; see docs/jdk-httpserver.md). Not in {@link DemoApps#DEFAULT};
 * {@code --apps jdk:NAME,...} runs it.
 */
public final class JdkHttpDemoServer implements DemoServer {
  private HttpServer server;
  private ExecutorService workers;

  @Override
  public int start(int port, DemoRoutes routes) throws IOException {
    HttpHandler traced = Whatap.registerApp((HttpHandler) exchange -> serve(routes, exchange));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    // /slow and /stuck hold their thread: enough workers that the fast routes never queue behind them
    workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    // the JDK server has no error page: like a framework, answer 500 to what the traced handler rethrows
    server.createContext("/", exchange -> {
      try {
        traced.handle(exchange);
      } catch (IOException | RuntimeException e) {
        send(exchange, DemoRoutes.Reply.json(500, "{\"error\":\"internal error\"}"));
      }
    });
    server.start();
    return server.getAddress().getPort();
  }

  private static void serve(DemoRoutes routes, HttpExchange exchange) throws IOException {
    DemoRoutes.Reply reply;
    try {
      reply = routes.handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    send(exchange, reply);
  }

  private static void send(HttpExchange exchange, DemoRoutes.Reply reply) throws IOException {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", reply.contentType());
    exchange.sendResponseHeaders(reply.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public String description() {
    return "JDK HttpServer + Whatap.registerApp(handler)";
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
