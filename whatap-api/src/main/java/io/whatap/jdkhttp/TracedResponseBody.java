package io.whatap.jdkhttp;

import com.sun.net.httpserver.HttpExchange;
import io.whatap.http.HttpServerHandler;
import io.whatap.trace.TraceContext;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The exchange's response body, installed with {@code setStreams}: closing it (directly or
 * through {@code HttpExchange.close()}) is where the JDK server finishes the response, so it is
 * where the transaction ends, on whatever thread does it.
 */
final class TracedResponseBody extends OutputStream {
  private final OutputStream out;
  private final HttpExchange exchange;
  private final HttpServerHandler http;
  private final TraceContext ctx;

  TracedResponseBody(OutputStream out, HttpExchange exchange, HttpServerHandler http, TraceContext ctx) {
    this.out = out;
    this.exchange = exchange;
    this.http = http;
    this.ctx = ctx;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    Throwable failure = null;
    try {
      out.close();
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      int code = exchange.getResponseCode();
      http.end(ctx, code > 0 ? code : 500, failure, null);
    }
  }
}
