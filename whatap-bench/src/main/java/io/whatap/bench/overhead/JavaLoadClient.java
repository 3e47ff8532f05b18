package io.whatap.bench.overhead;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fallback when wrk is absent: a closed loop of keep-alive HTTP/1.1 connections, one thread
 * each, every connection sending its next request as soon as the previous response is read.
 * Every latency is kept (as microseconds) for exact percentiles.
 */
public final class JavaLoadClient {
  private JavaLoadClient() { }

  public static LoadResult run(String host, int port, String path, int connections, int seconds)
      throws InterruptedException {
    byte[] request = ("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    int[][] samples = new int[connections][];
    int[] counts = new int[connections];
    AtomicLong errors = new AtomicLong();
    Thread[] threads = new Thread[connections];
    long start = System.nanoTime();
    for (int c = 0; c < connections; c++) {
      final int id = c;
      threads[c] = new Thread(() -> {
        int[] lat = new int[1 << 16];
        int n = 0;
        while (System.nanoTime() < end) {
          try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 8192);
            while (System.nanoTime() < end) {
              long t0 = System.nanoTime();
              out.write(request);
              out.flush();
              int status = readResponse(in);
              long us = (System.nanoTime() - t0) / 1000;
              if (status != 200) {
                errors.incrementAndGet();
              }
              if (n == lat.length) {
                lat = Arrays.copyOf(lat, n * 2);
              }
              lat[n++] = (int) Math.min(Integer.MAX_VALUE, us);
            }
          } catch (IOException e) {
            errors.incrementAndGet();
          }
        }
        samples[id] = lat;
        counts[id] = n;
      }, "load-" + c);
      threads[c].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int total = 0;
    for (int n : counts) {
      total += n;
    }
    int[] all = new int[total];
    int k = 0;
    for (int c = 0; c < connections; c++) {
      System.arraycopy(samples[c], 0, all, k, counts[c]);
      k += counts[c];
    }
    Arrays.sort(all);
    return new LoadResult(total, elapsed, percentile(all, 50) / 1000.0, percentile(all, 99) / 1000.0, errors.get());
  }

  static double percentile(int[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  /** Reads one response (Content-Length or chunked body); returns its status. */
  static int readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) {
      throw new IOException("connection closed");
    }
    int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
    long length = -1;
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
    } else if (length > 0) {
      skip(in, length);
    }
    return status;
  }

  private static void skip(InputStream in, long n) throws IOException {
    long left = n;
    while (left > 0) {
      long s = in.skip(left);
      if (s <= 0) {
        if (in.read() < 0) {
          throw new IOException("connection closed");
        }
        s = 1;
      }
      left -= s;
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
