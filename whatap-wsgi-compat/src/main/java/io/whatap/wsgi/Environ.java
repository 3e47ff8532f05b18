package io.whatap.wsgi;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The WSGI environ keys the bridges fill. Values are Strings except the {@code wsgi.*} objects;
 * optional CGI keys (CONTENT_TYPE, CONTENT_LENGTH) are absent when the request has no such
 * header. PATH_INFO is decoded (UTF-8); REQUEST_URI keeps the raw path and query as received.
 */
public final class Environ {
  public static final String REQUEST_METHOD = "REQUEST_METHOD";
  public static final String SCRIPT_NAME = "SCRIPT_NAME";
  public static final String PATH_INFO = "PATH_INFO";
  public static final String QUERY_STRING = "QUERY_STRING";
  public static final String REQUEST_URI = "REQUEST_URI";
  public static final String CONTENT_TYPE = "CONTENT_TYPE";
  public static final String CONTENT_LENGTH = "CONTENT_LENGTH";
  public static final String SERVER_NAME = "SERVER_NAME";
  public static final String SERVER_PORT = "SERVER_PORT";
  public static final String SERVER_PROTOCOL = "SERVER_PROTOCOL";
  public static final String REMOTE_ADDR = "REMOTE_ADDR";
  public static final String REMOTE_PORT = "REMOTE_PORT";
  public static final String WSGI_VERSION = "wsgi.version";
  public static final String WSGI_URL_SCHEME = "wsgi.url_scheme";
  /** An {@link InputStream} over the request body. */
  public static final String WSGI_INPUT = "wsgi.input";
  /** A {@link PrintWriter} for the application's error output. */
  public static final String WSGI_ERRORS = "wsgi.errors";
  public static final String WSGI_MULTITHREAD = "wsgi.multithread";
  public static final String WSGI_MULTIPROCESS = "wsgi.multiprocess";
  public static final String WSGI_RUN_ONCE = "wsgi.run_once";

  private static final List<Integer> VERSION = List.of(1, 0);

  private Environ() { }

  static Map<String, Object> create(String scheme, InputStream input, PrintWriter errors) {
    Map<String, Object> env = new HashMap<>(64);
    env.put(WSGI_VERSION, VERSION);
    env.put(WSGI_URL_SCHEME, scheme);
    env.put(WSGI_INPUT, input);
    env.put(WSGI_ERRORS, errors);
    env.put(WSGI_MULTITHREAD, Boolean.TRUE);
    env.put(WSGI_MULTIPROCESS, Boolean.FALSE);
    env.put(WSGI_RUN_ONCE, Boolean.FALSE);
    return env;
  }

  /** Adds one request header as CGI does: Content-Type and Content-Length by name, the others as HTTP_*. */
  static void header(Map<String, Object> env, String name, String value) {
    String key;
    if (name.equalsIgnoreCase("Content-Type")) {
      key = CONTENT_TYPE;
    } else if (name.equalsIgnoreCase("Content-Length")) {
      key = CONTENT_LENGTH;
    } else {
      key = "HTTP_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
    Object previous = env.putIfAbsent(key, value);
    if (previous != null) {
      env.put(key, previous + "," + value);
    }
  }
}
