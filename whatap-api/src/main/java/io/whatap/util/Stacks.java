package io.whatap.util;

/** Renders stacks for TX_ERROR and ACTIVE_STACK, bounded in depth. */
public final class Stacks {
  private Stacks() { }

  public static String render(Throwable t, int depth) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(t).append('\n');
    appendFrames(sb, t.getStackTrace(), depth);
    Throwable cause = t.getCause();
    int guard = 0;
    while (cause != null && cause != t && guard++ < 5) {
      sb.append("Caused by: ").append(cause).append('\n');
      appendFrames(sb, cause.getStackTrace(), Math.max(1, depth / 2));
      t = cause;
      cause = cause.getCause();
    }
    return sb.toString();
  }

  public static void appendFrames(StringBuilder sb, StackTraceElement[] frames, int depth) {
    int n = Math.min(frames.length, depth);
    for (int i = 0; i < n; i++) {
      sb.append("\tat ").append(frames[i]).append('\n');
    }
    if (frames.length > n) {
      sb.append("\t... ").append(frames.length - n).append(" more\n");
    }
  }
}
