package io.whatap.runtime;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to our local agent's thread-dump request ({@link #PARAM_ID}): every live thread's name,
 * id, state, the lock it waits for and its frames, as text, bounded in threads, frames per thread
 * and total bytes (what is left out is said at the end), cut into parts that each fit one TX_PARAM
 * text (golib's 32 KiB message limit). It holds class and method names and thread names only: no
 * variable, argument or configuration value. WhaTap's agents never send this id, so nothing is
 * dumped unless our agent asks.
 */
final class ThreadDump {
  /** Ours, beside 7001 and outside the ids WhaTap's agents use (1–101). */
  static final int PARAM_ID = 7003;
  static final int THREADS_MAX = 1000;
  static final int FRAMES_MAX = 128;
  static final int BYTES_MAX = 256 * 1024;
  static final int THREADS_DEFAULT = 500;
  static final int FRAMES_DEFAULT = 48;
  static final int BYTES_DEFAULT = 128 * 1024;
  /** UTF-8 bytes of dump text per part: below the 32 KiB TX_PARAM text limit with room for the part header. */
  static final int PART_BYTES = 30_000;
  /** A second dump within this time is refused: a dump stops the world briefly. */
  static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

  private ThreadDump() {
  }

  /** The bounds asked in {@code extra} ("threads=N frames=M bytes=B", any subset), clamped to the maxima. */
  static int[] bounds(String extra) {
    int threads = THREADS_DEFAULT;
    int frames = FRAMES_DEFAULT;
    int bytes = BYTES_DEFAULT;
    for (String word : extra.trim().split("[ ,]+", 8)) {
      int eq = word.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      int v;
      try {
        v = Integer.parseInt(word.substring(eq + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      switch (word.substring(0, eq)) {
        case "threads" -> threads = clamp(v, 1, THREADS_MAX);
        case "frames" -> frames = clamp(v, 1, FRAMES_MAX);
        case "bytes" -> bytes = clamp(v, 1024, BYTES_MAX);
        default -> { }
      }
    }
    return new int[] {threads, frames, bytes};
  }

  private static int clamp(int v, int min, int max) {
    return Math.max(min, Math.min(max, v));
  }

  /** The dump as text, within the bounds; the last line says what was left out. */
  static String text(long pid, int threadsMax, int framesMax, int bytesMax) {
    ThreadInfo[] infos = ManagementFactory.getThreadMXBean().dumpAllThreads(false, false, framesMax);
    StringBuilder sb = new StringBuilder(Math.min(bytesMax, 16 * 1024));
    sb.append("Thread dump of pid ").append(pid).append(" at ").append(java.time.Instant.now()).append(": ")
        .append(infos.length).append(" threads\n\n");
    int shown = 0;
    int bytes = utf8Length(sb, 0);
    boolean bytesCut = false;
    for (ThreadInfo t : infos) {
      if (t == null) {
        continue;
      }
      if (shown >= threadsMax) {
        break;
      }
      int mark = sb.length();
      appendThread(sb, t, framesMax);
      bytes += utf8Length(sb, mark);
      if (bytes > bytesMax - 200) { // room for the closing note
        sb.setLength(mark);
        bytesCut = true;
        break;
      }
      shown++;
    }
    int notShown = infos.length - shown;
    if (notShown > 0) {
      sb.append("... ").append(notShown).append(" more threads not shown (")
          .append(bytesCut ? "the dump's size limit of " + bytesMax + " bytes" : "the limit of " + threadsMax + " threads")
          .append(")\n");
    }
    return sb.toString();
  }

  private static void appendThread(StringBuilder sb, ThreadInfo t, int framesMax) {
    sb.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId());
    if (t.isDaemon()) {
      sb.append(" daemon");
    }
    sb.append(" ").append(t.getThreadState());
    LockInfo lock = t.getLockInfo();
    if (lock != null) {
      sb.append(" on ").append(lock.getClassName()).append('@').append(Integer.toHexString(lock.getIdentityHashCode()));
      if (t.getLockOwnerName() != null) {
        sb.append(" owned by \"").append(t.getLockOwnerName()).append("\" #").append(t.getLockOwnerId());
      }
    }
    sb.append('\n');
    for (StackTraceElement e : t.getStackTrace()) {
      sb.append("\tat ").append(e).append('\n');
    }
    if (t.getStackTrace().length >= framesMax) {
      sb.append("\t... (frames beyond ").append(framesMax).append(" not shown)\n");
    }
    sb.append('\n');
  }

  /** UTF-8 bytes of {@code s} from {@code from} on. */
  static int utf8Length(CharSequence s, int from) {
    int n = 0;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return n;
  }

  /** The text cut into parts of at most {@link #PART_BYTES} UTF-8 bytes, on character boundaries. */
  static List<String> parts(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    List<String> out = new ArrayList<>();
    int off = 0;
    while (off < b.length) {
      int end = Math.min(b.length, off + PART_BYTES);
      while (end < b.length && (b[end] & 0xC0) == 0x80) {
        end--; // never split a character
      }
      out.add(new String(b, off, end - off, StandardCharsets.UTF_8));
      off = end;
    }
    if (out.isEmpty()) {
      out.add("");
    }
    return out;
  }
}
