package io.whatap.bench.overhead;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Runs wrk (closed loop, keep-alive) and reads its report. */
public final class Wrk {
  private Wrk() { }

  /** The wrk binary on the PATH, or null. */
  public static String find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String dir : path.split(":")) {
      Path p = Path.of(dir, "wrk");
      if (Files.isExecutable(p)) {
        return p.toString();
      }
    }
    return null;
  }

  public static LoadResult run(String wrk, String url, int threads, int connections, int seconds)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(wrk, "-t" + threads, "-c" + connections, "-d" + seconds + "s",
        "--latency", url));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("wrk did not finish");
    }
    return parse(new String(out, StandardCharsets.UTF_8));
  }

  /** Reads wrk's text report (run with --latency). */
  public static LoadResult parse(String report) {
    long requests = -1;
    double seconds = -1;
    double p50 = -1;
    double p99 = -1;
    long errors = 0;
    for (String raw : report.split("\n")) {
      String line = raw.trim();
      String[] f = line.split("\\s+");
      if (line.contains(" requests in ") && f.length >= 4) {
        requests = Long.parseLong(f[0]);
        seconds = durationMs(f[3].replace(",", "")) / 1000.0;
      } else if (f.length == 2 && f[0].equals("50%")) {
        p50 = durationMs(f[1]);
      } else if (f.length == 2 && f[0].equals("99%")) {
        p99 = durationMs(f[1]);
      } else if (line.startsWith("Non-2xx or 3xx responses:")) {
        errors += Long.parseLong(f[f.length - 1]);
      } else if (line.startsWith("Socket errors:")) {
        for (String part : line.substring("Socket errors:".length()).split(",")) {
          String[] kv = part.trim().split("\\s+");
          errors += Long.parseLong(kv[1]);
        }
      }
    }
    if (requests < 0 || seconds <= 0 || p50 < 0 || p99 < 0) {
      throw new IllegalArgumentException("not a wrk --latency report: " + report);
    }
    return new LoadResult(requests, seconds, p50, p99, errors);
  }

  /** A wrk duration ("512.00us", "1.20ms", "2.00s", "1.00m") in milliseconds. */
  static double durationMs(String s) {
    String v = s.toLowerCase(Locale.ROOT);
    if (v.endsWith("us")) {
      return Double.parseDouble(v.substring(0, v.length() - 2)) / 1000.0;
    }
    if (v.endsWith("ms")) {
      return Double.parseDouble(v.substring(0, v.length() - 2));
    }
    if (v.endsWith("s")) {
      return Double.parseDouble(v.substring(0, v.length() - 1)) * 1000.0;
    }
    if (v.endsWith("m")) {
      return Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000.0;
    }
    if (v.endsWith("h")) {
      return Double.parseDouble(v.substring(0, v.length() - 1)) * 3_600_000.0;
    }
    throw new IllegalArgumentException("not a wrk duration: " + s);
  }
}
