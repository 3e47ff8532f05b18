package io.whatap.vthreads;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A raw HTTP/1.1 client: {@code connections} keep-alive loopback connections, each sending its
 * share of the requests one after the other. Cheaper than any client library, so that the two
 * cores go to the server and the agent. Fails on anything but a 200 with the expected body.
 */
public final class KeepAliveClient {
  private final InetSocketAddress server;

  public KeepAliveClient(String base) {
    URI u = URI.create(base);
    server = new InetSocketAddress(u.getHost(), u.getPort());
  }

  /** Sends {@code requests} GETs of {@code path} over {@code connections} connections; returns how many answered 200 "ok". */
  public long run(String path, int connections, int requests) throws Exception {
    AtomicLong ok = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int share = requests / connections + (c < requests % connections ? 1 : 0);
      Thread t = new Thread(() -> {
        try {
          ok.addAndGet(connection(path, share));
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "keep-alive-client-" + c);
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    if (!failures.isEmpty()) {
      AssertionError e = new AssertionError(failures.size() + " connection(s) failed");
      failures.forEach(e::addSuppressed);
      throw e;
    }
    return ok.get();
  }

  private long connection(String path, int requests) throws IOException {
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: vthreads-load\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    long ok = 0;
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.setSoTimeout(30_000);
      s.connect(server, 10_000);
      OutputStream out = s.getOutputStream();
      InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
      StringBuilder line = new StringBuilder(128);
      for (int i = 0; i < requests; i++) {
        out.write(request);
        out.flush();
        String status = readLine(in, line);
        int length = -1;
        for (String h = readLine(in, line); !h.isEmpty(); h = readLine(in, line)) {
          if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
            length = Integer.parseInt(h.substring(15).trim());
          }
        }
        if (length < 0) {
          throw new IOException("response " + i + " without Content-Length: " + status);
        }
        byte[] body = in.readNBytes(length);
        if (!status.startsWith("HTTP/1.1 200") || !"ok".equals(new String(body, StandardCharsets.ISO_8859_1))) {
          throw new IOException("response " + i + ": " + status + " " + new String(body, StandardCharsets.ISO_8859_1));
        }
        ok++;
      }
    }
    return ok;
  }

  private static String readLine(InputStream in, StringBuilder line) throws IOException {
    line.setLength(0);
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new IOException("connection closed by the server after: " + line);
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }
}
