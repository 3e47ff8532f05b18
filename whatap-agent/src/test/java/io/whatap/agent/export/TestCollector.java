package io.whatap.agent.export;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An HTTP collector on a free loopback port (the JDK's com.sun.net.httpserver): records every
 * request (path, headers, body un-gzipped) and answers the statuses queued with {@link #answer},
 * then 200.
 */
final class TestCollector implements AutoCloseable {
  /** One request as received. */
  record Received(String path, Map<String, List<String>> headers, byte[] body, int answered) {
    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
  private final HttpServer server;

  TestCollector() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.createContext("/", exchange -> {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
      byte[] body = raw;
      if (gzip) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
          body = in.readAllBytes();
        }
      }
      Integer queued = answers.poll();
      int status = queued == null ? 200 : queued;
      received.add(new Received(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body,
          status));
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    server.start();
  }

  /** The next requests are answered {@code statuses}, in order. */
  void answer(Integer... statuses) {
    answers.addAll(List.of(statuses));
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Received> accepted(String path) {
    return received.stream().filter(r -> r.path().equals(path) && r.answered() == 200).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
