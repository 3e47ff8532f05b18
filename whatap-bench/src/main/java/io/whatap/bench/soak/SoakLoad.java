package io.whatap.bench.soak;

import io.whatap.bench.apps.HelloApp;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The soak's load: a closed loop of keep-alive HTTP/1.1 connections, one thread each, taking
 * request numbers from a shared counter until a given number has been sent. The number decides
 * the kind, so that the mix is exact whatever the interleaving: of every hundred, the first
 * {@code asyncPercent} are {@code /async} (ended by the server's async timeout), the next
 * {@code errorPercent} are {@code /error} (the handler throws), the rest {@code /hello}.
 * Every response is read and its status checked against its kind.
 */
final class SoakLoad {
  enum Kind {
    FAST("/hello"),
    ERROR(HelloApp.ERROR_PATH),
    ASYNC(HelloApp.ASYNC_PATH);

    final String path;

    Kind(String path) {
      this.path = path;
    }

    /**
     * Fast requests answer 200; errors 500; an async timeout 500 (servlet) or 503 (Vert.x,
     * Undertow), or 504 from the Jetty app's guard when the container lost the timeout.
     */
    boolean expected(int status) {
      switch (this) {
        case FAST: return status == 200;
        case ERROR: return status == 500;
        default: return status == 500 || status == 503 || status == 504;
      }
    }
  }

  /** What the load saw, cumulative over every {@link #run} call. */
  static final class Counts {
    final LongAdder[] answered = {new LongAdder(), new LongAdder(), new LongAdder()};
    final LongAdder unexpectedStatus = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    volatile String firstProblem;

    long answered() {
      return answered[0].sum() + answered[1].sum() + answered[2].sum();
    }

    long answered(Kind k) {
      return answered[k.ordinal()].sum();
    }

    void problem(String what) {
      if (firstProblem == null) {
        firstProblem = what;
      }
    }
  }

  private final String host;
  private final int port;
  private final int connections;
  private final int asyncPercent;
  private final int errorPercent;
  private final byte[][] requests = new byte[Kind.values().length][];
  final Counts counts = new Counts();

  SoakLoad(String host, int port, int connections, int asyncPercent, int errorPercent) {
    if (asyncPercent < 0 || errorPercent < 0 || asyncPercent + errorPercent > 100) {
      throw new IllegalArgumentException("async and error percentages must be >= 0 and add up to at most 100");
    }
    this.host = host;
    this.port = port;
    this.connections = connections;
    this.asyncPercent = asyncPercent;
    this.errorPercent = errorPercent;
    for (Kind k : Kind.values()) {
      requests[k.ordinal()] = ("GET " + k.path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
    }
  }

  static Kind kindOf(long n, int asyncPercent, int errorPercent) {
    int r = (int) (n % 100);
    return r < asyncPercent ? Kind.ASYNC : r < asyncPercent + errorPercent ? Kind.ERROR : Kind.FAST;
  }

  /** Sends requests number {@code from} (inclusive) to {@code to} (exclusive) and waits for every answer. */
  void run(long from, long to) throws InterruptedException {
    AtomicLong next = new AtomicLong(from);
    Thread[] threads = new Thread[connections];
    for (int c = 0; c < connections; c++) {
      threads[c] = new Thread(() -> loop(next, to), "soak-load-" + c);
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
  }

  private void loop(AtomicLong next, long to) {
    Socket s = null;
    InputStream in = null;
    try {
      long n;
      while ((n = next.getAndIncrement()) < to) {
        Kind k = kindOf(n, asyncPercent, errorPercent);
        try {
          if (s == null) {
            s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(30_000);
            in = new BufferedInputStream(s.getInputStream(), 1024);
          }
          OutputStream out = s.getOutputStream();
          out.write(requests[k.ordinal()]);
          out.flush();
          Response r = readResponse(in);
          counts.answered[k.ordinal()].increment();
          if (!k.expected(r.status)) {
            counts.unexpectedStatus.increment();
            counts.problem(k.path + " answered " + r.status);
          }
          if (r.close) {
            s.close();
            s = null;
          }
        } catch (IOException e) {
          counts.ioErrors.increment();
          counts.problem(k.path + ": " + e);
          closeQuietly(s);
          s = null;
        }
      }
    } finally {
      closeQuietly(s);
    }
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing a broken connection
      }
    }
  }

  /** A response's status and whether the server closes the connection after it. */
  static final class Response {
    final int status;
    final boolean close;

    Response(int status, boolean close) {
      this.status = status;
      this.close = close;
    }
  }

  /** Reads one response (Content-Length or chunked body). */
  static Response readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    boolean close = parts[0].equals("HTTP/1.0");
    long length = 0;
    boolean chunked = false;
    String line;
    while ((line = readLine(in)) != null && !line.isEmpty()) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (name.equalsIgnoreCase("content-length")) {
        length = Long.parseLong(value);
      } else if (name.equalsIgnoreCase("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
        chunked = true;
      } else if (name.equalsIgnoreCase("connection")) {
        close = value.equalsIgnoreCase("close");
      }
    }
    if (chunked) {
      while (true) {
        long size = Long.parseLong(readLine(in).split(";")[0].trim(), 16);
        skip(in, size);
        readLine(in);
        if (size == 0) {
          break;
        }
      }
    } else {
      skip(in, length);
    }
    return new Response(status, close);
  }

  private static void skip(InputStream in, long n) throws IOException {
    for (long left = n; left > 0; left--) {
      if (in.read() < 0) {
        throw new IOException("connection closed inside a body");
      }
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int len = b.length();
        return len > 0 && b.charAt(len - 1) == '\r' ? b.substring(0, len - 1) : b.toString();
      }
      b.append((char) c);
    }
    return b.length() == 0 ? null : b.toString();
  }
}
