package io.whatap.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.whatap.http.HttpRequestView;
import io.whatap.http.HttpServerHandler;
import io.whatap.internal.Agent;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * STAND-IN until the adapter modules are merged: the JDK's HttpServer, traced by hand through the
 * core's {@link HttpServerHandler} ({@code start} from a request view, {@code end} once the response
 * is written). It is a real instrumented app, through the same core every adapter uses; the
 * Jetty/Vert.x/Undertow/WSGI apps will replace it in {@link DemoApps}.
 */
public final class JdkHttpDemoServer implements DemoServer {
  /** Reads the JDK's exchange for the core; stateless, so one instance serves every request. */
  static final HttpRequestView<HttpExchange> VIEW = new HttpRequestView<>() {
    @Override
    public String method(HttpExchange x) {
      return x.getRequestMethod();
    }

    @Override
    public String path(HttpExchange x) {
      return x.getRequestURI().getRawPath();
    }

    @Override
    public String query(HttpExchange x) {
      return x.getRequestURI().getRawQuery();
    }

    @Override
    public String host(HttpExchange x) {
      return x.getRequestHeaders().getFirst("host");
    }

    @Override
    public String header(HttpExchange x, String name) {
      return x.getRequestHeaders().getFirst(name);
    }

    @Override
    public String remoteAddr(HttpExchange x) {
      InetSocketAddress a = x.getRemoteAddress();
      return a == null || a.getAddress() == null ? null : a.getAddress().getHostAddress();
    }
  };

  private HttpServer server;
  private ExecutorService workers;

  @Override
  public int start(int port, DemoRoutes routes) throws IOException {
    HttpServerHandler handler = Agent.get().http;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
    // /slow and /stuck hold their thread: enough workers that the fast routes never queue behind them
    workers = Executors.newFixedThreadPool(16);
    server.setExecutor(workers);
    server.createContext("/", exchange -> serve(handler, routes, exchange));
    server.start();
    return server.getAddress().getPort();
  }

  private static void serve(HttpServerHandler handler, DemoRoutes routes, HttpExchange exchange) throws IOException {
    TraceContext ctx = handler.start(VIEW, exchange);
    TraceContext previous = CurrentContext.attach(ctx);
    int status = 500;
    Throwable failure = null;
    try {
      DemoRoutes.Reply reply;
      try {
        reply = routes.handle(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
      } catch (Exception e) {
        failure = e;
        reply = DemoRoutes.Reply.json(500, "{\"error\":\"internal error\"}");
      }
      status = reply.status();
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("content-type", reply.contentType());
      exchange.sendResponseHeaders(status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      CurrentContext.restore(previous);
      handler.end(ctx, status, failure, null);
    }
  }

  @Override
  public String description() {
    return "JDK HttpServer + manual HttpServerHandler calls (stand-in until the adapters land)";
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
