package io.whatap.wsgi;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/** What a hosting bridge (JDK HttpServer, Servlet) does with one response. */
interface Host {
  /**
   * Sends status and headers; {@code length} is the body's length when known, else -1 (streamed).
   * The hosts set Content-Length and the transfer coding themselves from {@code length}.
   */
  void send(int code, List<Map.Entry<String, String>> headers, long length) throws IOException;

  /** The body stream, valid after {@link #send}. */
  OutputStream body() throws IOException;

  /** Pushes what was written to the client (WSGI: each block is sent before the next is asked for). */
  void flush() throws IOException;

  /** Completes a response that went well. */
  void finish() throws IOException;

  /** True once the status line may have reached the client. */
  boolean committed();

  /** Answers 500 to a request that failed before anything was committed. */
  void fail() throws IOException;

  /** A request that failed after commit: tear the response down so the client sees it was cut short. */
  void abort(Throwable failure) throws Exception;

  /** Where the application's failures are logged. */
  void log(String message, Throwable failure);
}
