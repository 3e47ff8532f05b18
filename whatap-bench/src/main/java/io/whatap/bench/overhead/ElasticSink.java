package io.whatap.bench.overhead;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in APM server for the Elastic agent: answers 200 to everything (a server-information
 * document on {@code GET /}), reads and discards intake bodies, counts intake requests so the
 * report can say whether the agent really ran and sent.
 */
final class ElasticSink implements AutoCloseable {
  private static final byte[] INFO = "{\"build_date\":\"2024-01-01T00:00:00Z\",\"build_sha\":\"bench\",\"version\":\"8.15.0\"}"
      .getBytes(StandardCharsets.UTF_8);
  private final HttpServer server;
  final AtomicLong intakeRequests = new AtomicLong();
  final AtomicLong intakeBytes = new AtomicLong();

  ElasticSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.createContext("/", exchange -> {
      long n = 0;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] buf = new byte[8192];
        int r;
        while ((r = in.read(buf)) > 0) {
          n += r;
        }
      }
      String path = exchange.getRequestURI().getPath();
      byte[] body = new byte[0];
      if (path.startsWith("/intake")) {
        intakeRequests.incrementAndGet();
        intakeBytes.addAndGet(n);
      } else if (path.equals("/")) {
        body = INFO;
        exchange.getResponseHeaders().set("Content-Type", "application/json");
      }
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
