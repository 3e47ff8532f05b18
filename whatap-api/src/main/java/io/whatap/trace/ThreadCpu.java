package io.whatap.trace;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** CPU time of the current thread, where the JVM can measure it. */
final class ThreadCpu {
  private static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
  private static final boolean SUPPORTED = supported();

  private ThreadCpu() { }

  static long currentNanos() {
    return SUPPORTED ? BEAN.getCurrentThreadCpuTime() : -1;
  }

  private static boolean supported() {
    try {
      return BEAN.isCurrentThreadCpuTimeSupported() && BEAN.isThreadCpuTimeEnabled();
    } catch (RuntimeException | Error e) {
      return false;
    }
  }
}
