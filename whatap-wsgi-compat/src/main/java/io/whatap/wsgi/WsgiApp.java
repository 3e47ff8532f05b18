package io.whatap.wsgi;

import java.util.Map;

/**
 * A WSGI application (PEP 3333) in Java: it reads the request from {@code environ}, calls
 * {@code startResponse} with the status line and headers, and returns the body as an iterable of
 * {@code byte[]} or {@link CharSequence} items (strings are sent as UTF-8). The seed's example:
 *
 * <pre>{@code
 * WsgiApp simpleApp = (environ, startResponse) -> {
 *   startResponse.accept("200 OK", List.of(Map.entry("Content-type", "text/plain")));
 *   return List.of("Hello world!\n");
 * };
 * WsgiHttpServer.serve(Whatap.registerApp(simpleApp), 8000);
 * }</pre>
 *
 * <p>As in WSGI, the body may be produced lazily while the server iterates it, and a body that is
 * {@link AutoCloseable} is closed by the server when the response is done (Python's
 * {@code close()}); a {@link java.util.Collection} body is sent with a Content-Length.
 */
@FunctionalInterface
public interface WsgiApp {
  Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) throws Exception;
}
