package io.whatap.javaagent.hooks.httpclient;

import io.whatap.http.HeaderSetter;
import io.whatap.http.HttpClientCall;
import io.whatap.http.HttpClientHandler;
import io.whatap.javaagent.bootstrap.Hook;
import java.net.URLConnection;

/**
 * {@code HttpURLConnection}: one TX_HTTPC step per exchange, through whatap-api's client core
 * ({@link HttpClientHandler}, the code every library hook calls). The exchange starts at the first
 * of {@code connect()}, {@code getOutputStream()}, {@code getInputStream()} on a connection not yet
 * connected (headers set with {@code setRequestProperty} while that is still allowed) and ends when
 * {@code getInputStream()} returns or throws (with the response code), or when connecting throws.
 * Between the two the call is kept against the connection, weakly: a connection the application
 * drops without reading costs nothing.
 */
final class UrlConnectionHook implements Hook {
  static final UrlConnectionHook INSTANCE = new UrlConnectionHook();
  static final String DRIVER = "HttpURLConnection";
  private static final HeaderSetter<URLConnection> SET_HEADER = URLConnection::setRequestProperty;

  private final WeakIdentityMap<HttpClientCall> calls = new WeakIdentityMap<>();

  @Override
  public Object enter(Object connection, Object connected, Object unused) {
    if (calls.get(connection) != null) {
      return connection;
    }
    if (Boolean.TRUE.equals(connected)) {
      return null; // an exchange that started before the agent, or one already recorded and ended
    }
    URLConnection c = (URLConnection) connection;
    HttpClientCall call = HttpClientHandler.start(DRIVER, c.getURL().toString(), SET_HEADER, c);
    if (call == null) {
      return null;
    }
    calls.put(connection, call);
    return connection;
  }

  @Override
  public void exit(Object connection, Object returned, Throwable thrown) {
    if (returned instanceof Integer) {
      HttpClientCall call = calls.remove(connection);
      if (call != null) {
        int status = (Integer) returned;
        // -1: no response was parsed, so what was thrown is the failure; else it is the status's exception
        call.end(Math.max(status, 0), status < 0 ? thrown : null);
      }
    } else if (thrown != null) {
      HttpClientCall call = calls.remove(connection);
      if (call != null) {
        call.end(0, thrown);
      }
    }
  }
}
