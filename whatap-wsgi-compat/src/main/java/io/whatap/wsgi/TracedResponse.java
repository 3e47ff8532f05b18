package io.whatap.wsgi;

import io.whatap.http.HttpServerHandler;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * One traced request: it passes start_response through (keeping the status) and wraps the
 * body so that its iteration runs in the transaction and its end ends it. The status recorded
 * is the one the client gets from a WSGI server: the application's, or 500 when the application
 * failed before any body byte was produced or never called start_response.
 */
final class TracedResponse implements StartResponse {
  private final HttpServerHandler http;
  private final TraceContext ctx;
  private final Map<String, Object> environ;
  private final StartResponse server;
  private int status;
  /** A non-empty item of a streamed body was handed to the server: its headers are out. */
  private boolean committed;
  private boolean streaming;

  TracedResponse(HttpServerHandler http, TraceContext ctx, Map<String, Object> environ, StartResponse server) {
    this.http = http;
    this.ctx = ctx;
    this.environ = environ;
    this.server = server;
  }

  /** Calls the application for this request with this object as its start_response (run with the context current). */
  Iterable<?> runApp(WsgiApp app) throws Exception {
    return app.call(environ, this);
  }

  @Override
  public void accept(String statusLine, List<Map.Entry<String, String>> headers, Throwable excInfo) {
    server.accept(statusLine, headers, excInfo);
    if (excInfo != null && ctx.errorThrowable() != excInfo) {
      ctx.error(excInfo);
    }
    try {
      status = Status.code(statusLine);
    } catch (IllegalArgumentException e) {
      status = 0; // the server accepted a status line we cannot read: report none rather than a wrong one
    }
  }

  void end(Throwable error) {
    int code;
    if (error != null) {
      code = committed && status > 0 ? status : 500;
    } else if (status == 0) {
      error = new IllegalStateException(WsgiRunner.NO_START_RESPONSE);
      code = 500;
    } else {
      code = status;
    }
    http.end(ctx, code, error, null);
  }

  /** The body as the server will see it: same shape (a Collection stays sized), traced. */
  Iterable<?> body(Iterable<?> body) {
    if (body == null) {
      end(new IllegalStateException("the WSGI application returned null instead of a body"));
      return null;
    }
    if (body instanceof Collection) {
      return new TracedCollection((Collection<?>) body, new TracedBody(body));
    }
    streaming = true;
    return new TracedBody(body);
  }

  /** Iterates and closes the application's body with the transaction current. */
  final class TracedBody implements Iterable<Object>, Iterator<Object>, AutoCloseable {
    private final Iterable<?> body;
    private Iterator<?> it;

    TracedBody(Iterable<?> body) {
      this.body = body;
    }

    @Override
    public Iterator<Object> iterator() {
      try {
        it = CurrentContext.call(ctx, (b, unused) -> b.iterator(), body, null);
        return this;
      } catch (Throwable t) {
        end(t);
        throw t;
      }
    }

    @Override
    public boolean hasNext() {
      boolean more;
      try {
        more = CurrentContext.call(ctx, (i, unused) -> i.hasNext(), it, null); // a cached Boolean: no allocation
      } catch (Throwable t) {
        end(t);
        throw t;
      }
      if (!more) {
        end(null);
      }
      return more;
    }

    @Override
    public Object next() {
      Object item;
      try {
        item = CurrentContext.call(ctx, (i, unused) -> i.next(), it, null);
      } catch (Throwable t) {
        end(t);
        throw t;
      }
      if (!WsgiRunner.isBodyItem(item)) {
        end(new IllegalArgumentException("WSGI body items are byte[] or CharSequence, not "
            + (item == null ? "null" : item.getClass().getName())));
      } else if (!WsgiRunner.isEmpty(item)) {
        if (status == 0) {
          end(null);
        }
        committed = streaming;
      }
      return item;
    }

    /** Closes the application's body; what its close() throws comes out unchanged, checked or not. */
    @Override
    public void close() {
      Throwable failure = null;
      try {
        CurrentContext.run(ctx, (b, unused) -> {
          if (b instanceof AutoCloseable) {
            ((AutoCloseable) b).close();
          }
        }, body, null);
      } catch (Throwable t) {
        failure = t;
        throw Sneaky.<RuntimeException>rethrow(t);
      } finally {
        end(failure);
      }
    }
  }

  /** A sized body stays sized, so the server still sends it with a Content-Length. */
  static final class TracedCollection extends AbstractCollection<Object> implements AutoCloseable {
    private final Collection<?> items;
    private final TracedBody traced;

    TracedCollection(Collection<?> items, TracedBody traced) {
      this.items = items;
      this.traced = traced;
    }

    @Override
    public Iterator<Object> iterator() {
      return traced.iterator();
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public void close() {
      traced.close();
    }
  }
}
