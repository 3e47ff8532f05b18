package io.whatap.bench.overhead;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux says about a process: CPU time used and resident memory. */
public final class ProcStats {
  /** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on every Linux build in use). */
  static final int CLOCK_TICKS = 100;

  private ProcStats() { }

  /** User + system CPU seconds the process has used so far. */
  public static double cpuSeconds(long pid) throws IOException {
    return parseCpuSeconds(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
  }

  /** Resident set size in bytes. */
  public static long rssBytes(long pid) throws IOException {
    return parseRssBytes(Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status")));
  }

  static double parseCpuSeconds(String stat) {
    // the command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long utime = Long.parseLong(f[11]);
    long stime = Long.parseLong(f[12]);
    return (utime + stime) / (double) CLOCK_TICKS;
  }

  static long parseRssBytes(List<String> status) {
    for (String line : status) {
      if (line.startsWith("VmRSS:")) {
        String[] f = line.substring(6).trim().split("\\s+");
        return Long.parseLong(f[0]) * 1024;
      }
    }
    throw new IllegalArgumentException("no VmRSS line");
  }
}
