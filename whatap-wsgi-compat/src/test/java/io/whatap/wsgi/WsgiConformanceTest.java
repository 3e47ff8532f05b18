package io.whatap.wsgi;

import io.whatap.Whatap;
import io.whatap.testing.HttpServerConformanceTest;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The conformance suite against a WSGI application served by the JDK-server bridge and traced by
 * {@code Whatap.registerApp}. WSGI is synchronous: /async returns a body that another thread
 * produces about 50 ms later, and /async-timeout a body whose producer never answers, which the
 * application gives up on after {@link #asyncTimeoutMs()} by failing (the bridge answers 500).
 */
class WsgiConformanceTest extends HttpServerConformanceTest {
  private static final List<Map.Entry<String, String>> TEXT = List.of(Map.entry("Content-Type", "text/plain"));

  private WsgiHttpServer server;

  @Override
  protected String startServer() throws Exception {
    server = WsgiHttpServer.serve(Whatap.registerApp(this::route),
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return "http://127.0.0.1:" + server.port();
  }

  @Override
  protected void stopServer() {
    server.close();
  }

  private Iterable<?> route(Map<String, Object> environ, StartResponse startResponse) throws Exception {
    String path = (String) environ.get(Environ.PATH_INFO);
    switch (path) {
      case "/hello":
      case "/health":
        startResponse.accept("200 OK", TEXT);
        return List.of("hello");
      case "/boom":
        throw new IllegalStateException("boom");
      case "/unavailable":
        startResponse.accept("503 Service Unavailable", TEXT);
        return List.of("down");
      case "/redirect":
        startResponse.accept("302 Found", List.of(Map.entry("Location", "/hello")));
        return List.of();
      case "/echo":
        startResponse.accept("200 OK", TEXT);
        return List.of(((InputStream) environ.get(Environ.WSGI_INPUT)).readAllBytes());
      case "/sql":
        Whatap.currentTransaction().sql("jdbc:test", "select 1", System.currentTimeMillis(), 1, 1);
        startResponse.accept("200 OK", TEXT);
        return List.of("sql");
      case "/slow":
        long ms = Long.parseLong(((String) environ.get(Environ.QUERY_STRING)).substring("ms=".length()));
        Thread.sleep(ms); // the route's contract: answer after ms
        startResponse.accept("200 OK", TEXT);
        return List.of("slow");
      case "/async": {
        Executor later = CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS);
        CompletableFuture<String> produced = new CompletableFuture<>();
        later.execute(Whatap.wrap(() -> {
          Whatap.currentTransaction().message("async", "hop", "");
          produced.complete("async");
        }));
        startResponse.accept("200 OK", TEXT);
        return lazily(produced);
      }
      case "/async-timeout": {
        startResponse.accept("200 OK", TEXT);
        return new Iterable<Object>() {
          @Override
          public Iterator<Object> iterator() {
            return single(() -> {
              try {
                return new CompletableFuture<String>().get(asyncTimeoutMs(), TimeUnit.MILLISECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("async work timed out", e);
              }
            });
          }
        };
      }
      default:
        if (path.startsWith("/users/")) {
          startResponse.accept("200 OK", TEXT);
          return List.of("user " + path.substring("/users/".length()));
        }
        startResponse.accept("404 Not Found", TEXT);
        return List.of("not found");
    }
  }

  /** A one-item body that waits for {@code future} while the server iterates it. */
  private static Iterable<Object> lazily(CompletableFuture<String> future) {
    return () -> single(() -> {
      try {
        return future.get();
      } catch (InterruptedException | ExecutionException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static Iterator<Object> single(java.util.function.Supplier<String> item) {
    return new Iterator<>() {
      private boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public Object next() {
        if (done) {
          throw new NoSuchElementException();
        }
        done = true;
        return item.get().getBytes(StandardCharsets.UTF_8);
      }
    };
  }
}
