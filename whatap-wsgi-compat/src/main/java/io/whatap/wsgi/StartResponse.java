package io.whatap.wsgi;

import java.util.List;
import java.util.Map;

/**
 * WSGI's {@code start_response(status, response_headers, exc_info=None)}: {@code status} is a
 * status line such as {@code "200 OK"}, {@code headers} a list of name/value pairs
 * ({@code Map.entry("Content-Type", "text/plain")}).
 *
 * <p>It is called once before the first body item. It may be called again only with
 * {@code excInfo}, the error that made the application change its answer: before the headers
 * were sent this replaces the status and headers; after, {@code excInfo} is thrown as it is, as
 * WSGI re-raises it. The legacy {@code write()} callable of WSGI is not offered.
 */
@FunctionalInterface
public interface StartResponse {
  void accept(String status, List<Map.Entry<String, String>> headers, Throwable excInfo);

  default void accept(String status, List<Map.Entry<String, String>> headers) {
    accept(status, headers, null);
  }
}
