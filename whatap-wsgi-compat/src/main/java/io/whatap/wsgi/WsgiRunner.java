package io.whatap.wsgi;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Runs a WSGI application for one request on a {@link Host}, as a WSGI server does: headers go
 * out with the first non-empty body item (so start_response may still change them until then),
 * each item is flushed before the next is asked for, and the body is closed at the end. A
 * failure before commit is answered with 500; after commit the response is torn down.
 */
final class WsgiRunner {
  static final String NO_START_RESPONSE = "the WSGI application did not call start_response before its body";
  private static final byte[] ERROR_BODY = "Internal Server Error\n".getBytes(StandardCharsets.US_ASCII);

  private WsgiRunner() { }

  static byte[] errorBody() {
    return ERROR_BODY.clone();
  }

  static void run(WsgiApp app, Map<String, Object> environ, Host host) throws Exception {
    ResponseState state = new ResponseState();
    Iterable<?> body = null;
    try {
      body = app.call(environ, state);
      if (body == null) {
        throw new IllegalStateException("the WSGI application returned null instead of a body");
      }
      if (body instanceof Collection) {
        sendAll((Collection<?>) body, state, host);
      } else {
        stream(body, state, host);
      }
      host.finish();
    } catch (Exception | Error failure) {
      host.log("WSGI application failed on " + environ.get("REQUEST_METHOD") + " " + environ.get("PATH_INFO"),
          failure);
      if (host.committed()) {
        host.abort(failure);
      } else {
        host.fail();
      }
    } finally {
      closeQuietly(body, host);
    }
  }

  /** A sized body: encoded first, then sent with its Content-Length. */
  private static void sendAll(Collection<?> items, ResponseState state, Host host) throws IOException {
    List<byte[]> chunks = new ArrayList<>(items.size());
    long total = 0;
    for (Object item : items) {
      byte[] b = bytes(item);
      chunks.add(b);
      total += b.length;
    }
    begin(state, host, total);
    OutputStream out = host.body();
    for (byte[] b : chunks) {
      out.write(b);
    }
  }

  private static void stream(Iterable<?> items, ResponseState state, Host host) throws IOException {
    Iterator<?> it = items.iterator();
    OutputStream out = null;
    while (it.hasNext()) {
      byte[] b = bytes(it.next());
      if (b.length == 0) {
        continue;
      }
      if (out == null) {
        begin(state, host, state.started() ? state.declaredLength() : -1);
        out = host.body();
      }
      out.write(b);
      host.flush();
    }
    if (out == null) {
      begin(state, host, 0);
    }
  }

  private static void begin(ResponseState state, Host host, long length) throws IOException {
    if (!state.started()) {
      throw new IllegalStateException(NO_START_RESPONSE);
    }
    state.markHeadersSent();
    host.send(state.code(), state.headers(), length);
  }

  static boolean isBodyItem(Object item) {
    return item instanceof byte[] || item instanceof CharSequence;
  }

  static boolean isEmpty(Object item) {
    return item instanceof byte[] ? ((byte[]) item).length == 0 : ((CharSequence) item).length() == 0;
  }

  static byte[] bytes(Object item) {
    if (item instanceof byte[]) {
      return (byte[]) item;
    }
    if (item instanceof CharSequence) {
      return item.toString().getBytes(StandardCharsets.UTF_8);
    }
    throw new IllegalArgumentException("WSGI body items are byte[] or CharSequence, not "
        + (item == null ? "null" : item.getClass().getName()));
  }

  private static void closeQuietly(Iterable<?> body, Host host) {
    if (body instanceof AutoCloseable) {
      try {
        ((AutoCloseable) body).close();
      } catch (Exception | Error e) {
        host.log("closing the WSGI body failed", e);
      }
    }
  }
}
