package io.whatap.wsgi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves a {@link WsgiApp} on the JDK's built-in {@link HttpServer}, one pooled thread per
 * concurrent request: {@code WsgiHttpServer.serve(Whatap.registerApp(app), 8000)}, the Java form
 * of Python's {@code make_server('', 8000, app).serve_forever()}. To mount an application on a
 * server of your own, use {@link #handler(WsgiApp)}.
 */
public final class WsgiHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService pool;

  private WsgiHttpServer(HttpServer server, ExecutorService pool) {
    this.server = server;
    this.pool = pool;
  }

  /** Starts serving {@code app} on every interface at {@code port} (0: a free port, see {@link #port()}). */
  public static WsgiHttpServer serve(WsgiApp app, int port) throws IOException {
    return serve(app, new InetSocketAddress(port));
  }

  /** Starts serving {@code app} at {@code address}. */
  public static WsgiHttpServer serve(WsgiApp app, InetSocketAddress address) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newCachedThreadPool(r -> new Thread(r, "wsgi-" + threads.incrementAndGet()));
    server.setExecutor(pool);
    server.createContext("/", handler(app));
    server.start();
    return new WsgiHttpServer(server, pool);
  }

  /**
   * A JDK {@link HttpHandler} running {@code app}; mounted with {@code server.createContext(path, ...)},
   * the context path is the application's SCRIPT_NAME.
   */
  public static HttpHandler handler(WsgiApp app) {
    if (app == null) {
      throw new IllegalArgumentException("WsgiHttpServer.handler(null): pass the WSGI application");
    }
    PrintWriter errors = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    return exchange -> {
      try {
        WsgiRunner.run(app, ExchangeHost.environ(exchange, scriptName(exchange), errors), new ExchangeHost(exchange));
      } catch (IOException | RuntimeException | Error e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    };
  }

  private static String scriptName(HttpExchange exchange) {
    String context = exchange.getHttpContext().getPath();
    return context.endsWith("/") ? context.substring(0, context.length() - 1) : context;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public HttpServer server() {
    return server;
  }

  /** Stops accepting requests, closes the connections and lets the pool's threads end. */
  @Override
  public void close() {
    server.stop(0);
    pool.shutdown();
  }
}
