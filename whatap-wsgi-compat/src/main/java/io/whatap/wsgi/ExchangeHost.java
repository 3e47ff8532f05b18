package io.whatap.wsgi;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

/** A WSGI response on a JDK {@link HttpExchange}. */
final class ExchangeHost implements Host {
  private static final System.Logger LOG = System.getLogger("io.whatap.wsgi");

  private final HttpExchange exchange;
  private final boolean head;
  private OutputStream out;

  ExchangeHost(HttpExchange exchange) {
    this.exchange = exchange;
    this.head = "HEAD".equals(exchange.getRequestMethod());
  }

  static Map<String, Object> environ(HttpExchange ex, String scriptName, PrintWriter errors) {
    Map<String, Object> env = Environ.create(ex instanceof HttpsExchange ? "https" : "http", ex.getRequestBody(),
        errors);
    URI uri = ex.getRequestURI();
    String path = uri.getPath() == null ? "" : uri.getPath();
    String query = uri.getRawQuery();
    env.put(Environ.REQUEST_METHOD, ex.getRequestMethod());
    env.put(Environ.SCRIPT_NAME, scriptName);
    env.put(Environ.PATH_INFO, path.startsWith(scriptName) ? path.substring(scriptName.length()) : path);
    env.put(Environ.QUERY_STRING, query == null ? "" : query);
    String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    env.put(Environ.REQUEST_URI, query == null ? rawPath : rawPath + "?" + query);
    env.put(Environ.SERVER_PROTOCOL, ex.getProtocol());
    InetSocketAddress local = ex.getLocalAddress();
    String host = ex.getRequestHeaders().getFirst("Host");
    env.put(Environ.SERVER_NAME, host != null ? hostName(host) : local.getHostString());
    env.put(Environ.SERVER_PORT, String.valueOf(local.getPort()));
    InetSocketAddress remote = ex.getRemoteAddress();
    env.put(Environ.REMOTE_ADDR, remote.getAddress() != null ? remote.getAddress().getHostAddress()
        : remote.getHostString());
    env.put(Environ.REMOTE_PORT, String.valueOf(remote.getPort()));
    for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
      for (String v : h.getValue()) {
        Environ.header(env, h.getKey(), v);
      }
    }
    return env;
  }

  /** "example.com:8080" → "example.com"; "[::1]:8080" → "[::1]". */
  private static String hostName(String hostHeader) {
    int colon = hostHeader.lastIndexOf(':');
    return colon > hostHeader.lastIndexOf(']') ? hostHeader.substring(0, colon) : hostHeader;
  }

  @Override
  public void send(int code, List<Map.Entry<String, String>> headers, long length) throws IOException {
    Headers h = exchange.getResponseHeaders();
    for (Map.Entry<String, String> e : headers) {
      String name = e.getKey();
      if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
        h.add(name, e.getValue());
      }
    }
    boolean bodiless = head || code < 200 || code == 204 || code == 304;
    if (head && length > 0) {
      h.set("Content-Length", Long.toString(length)); // the JDK server leaves it to us for HEAD
    }
    // the JDK's encoding of a length: -1 no body, 0 chunked, n fixed
    exchange.sendResponseHeaders(code, bodiless || length == 0 ? -1 : length < 0 ? 0 : length);
    out = bodiless ? OutputStream.nullOutputStream() : exchange.getResponseBody();
  }

  @Override
  public OutputStream body() {
    return out;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void finish() {
    exchange.close();
  }

  @Override
  public boolean committed() {
    return exchange.getResponseCode() != -1;
  }

  @Override
  public void fail() throws IOException {
    byte[] b = WsgiRunner.errorBody();
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(500, head ? -1 : b.length);
    try (OutputStream o = exchange.getResponseBody()) {
      if (!head) {
        o.write(b);
      }
    }
  }

  /** The JDK server closes the connection when a handler throws: the client sees a cut response. */
  @Override
  public void abort(Throwable failure) throws IOException {
    throw failure instanceof IOException ? (IOException) failure
        : new IOException("the WSGI response was cut short by " + failure, failure);
  }

  @Override
  public void log(String message, Throwable failure) {
    LOG.log(System.Logger.Level.ERROR, message, failure);
  }
}
