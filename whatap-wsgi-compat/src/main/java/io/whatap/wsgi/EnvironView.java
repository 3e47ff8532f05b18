package io.whatap.wsgi;

import io.whatap.http.HeaderNames;
import io.whatap.http.HttpRequestView;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/** Reads a WSGI environ for the core, whichever server filled it. */
final class EnvironView implements HttpRequestView<Map<String, Object>> {
  static final EnvironView INSTANCE = new EnvironView();
  /** The core asks for a fixed set of headers (from the configuration): their environ keys, made once. */
  private static final HeaderNames<String> KEYS =
      new HeaderNames<>(name -> "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));

  private EnvironView() { }

  private static String str(Map<String, Object> env, String key) {
    Object v = env.get(key);
    return v instanceof String ? (String) v : null;
  }

  @Override
  public String method(Map<String, Object> env) {
    return str(env, Environ.REQUEST_METHOD);
  }

  /** The raw path from REQUEST_URI where the server gave one, else SCRIPT_NAME + PATH_INFO. */
  @Override
  public String path(Map<String, Object> env) {
    String uri = str(env, Environ.REQUEST_URI);
    if (uri != null) {
      int q = uri.indexOf('?');
      return q < 0 ? uri : uri.substring(0, q);
    }
    String script = str(env, Environ.SCRIPT_NAME);
    String info = str(env, Environ.PATH_INFO);
    String path = (script == null ? "" : script) + (info == null ? "" : info);
    return path.isEmpty() ? "/" : path;
  }

  @Override
  public String query(Map<String, Object> env) {
    String q = str(env, Environ.QUERY_STRING);
    return q == null || q.isEmpty() ? null : q;
  }

  @Override
  public String host(Map<String, Object> env) {
    String host = str(env, "HTTP_HOST");
    if (host != null) {
      return host;
    }
    String name = str(env, Environ.SERVER_NAME);
    String port = str(env, Environ.SERVER_PORT);
    return name == null ? null : port == null ? name : name + ":" + port;
  }

  @Override
  public String header(Map<String, Object> env, String name) {
    if (name.equals("content-type")) {
      return str(env, Environ.CONTENT_TYPE);
    }
    if (name.equals("content-length")) {
      return str(env, Environ.CONTENT_LENGTH);
    }
    return str(env, KEYS.of(name));
  }

  @Override
  public String remoteAddr(Map<String, Object> env) {
    return str(env, Environ.REMOTE_ADDR);
  }

  @Override
  public void forEachHeader(Map<String, Object> env, BiConsumer<String, String> consumer) {
    for (Map.Entry<String, Object> e : env.entrySet()) {
      String key = e.getKey();
      if (key.startsWith("HTTP_") && e.getValue() instanceof String) {
        consumer.accept(key.substring(5).replace('_', '-'), (String) e.getValue());
      }
    }
    String type = str(env, Environ.CONTENT_TYPE);
    if (type != null) {
      consumer.accept("content-type", type);
    }
    String length = str(env, Environ.CONTENT_LENGTH);
    if (length != null) {
      consumer.accept("content-length", length);
    }
  }
}
