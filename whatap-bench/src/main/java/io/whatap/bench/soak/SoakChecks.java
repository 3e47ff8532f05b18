package io.whatap.bench.soak;

import java.util.List;
import java.util.Locale;

/**
 * What a soak run must show, as pure functions of its figures (so that a test can feed them
 * figures that must fail).
 */
final class SoakChecks {
  private SoakChecks() { }

  /** One check's verdict and the figures it was decided on. */
  record Check(String name, boolean ok, String detail) {
    @Override
    public String toString() {
      return "[" + (ok ? "ok" : "FAILED") + "] " + name + ": " + detail;
    }
  }

  /**
   * Heap after GC is flat when the last sample is at most {@code boundBytes} or
   * {@code boundRatio} of the first sample (whichever is larger) above the first. The first
   * sample is taken after the first slice of requests, which is the warm-up (classes loaded, JIT
   * caches, pools and the agent's tables at their working size). Needs two samples at least.
   */
  static Check heapFlat(String process, List<Long> afterGc, long boundBytes, double boundRatio) {
    String name = process + " heap after GC flat";
    if (afterGc.size() < 2) {
      return new Check(name, false, "needs two samples at least, got " + afterGc.size());
    }
    long first = afterGc.get(0);
    long last = afterGc.get(afterGc.size() - 1);
    long allowed = Math.max(boundBytes, (long) (first * boundRatio));
    long growth = last - first;
    return new Check(name, growth <= allowed, String.format(Locale.ROOT,
        "last %s vs first after warm-up %s: %s%s (bound +%s = max(%s, %.0f%% of the first))", mb(last), mb(first),
        growth >= 0 ? "+" : "-", mb(Math.abs(growth)), mb(allowed), mb(boundBytes), boundRatio * 100));
  }

  /**
   * Every transaction the application's sender sent (queued minus dropped) was counted by the
   * local agent (received in full, or in stats mode in the application's statistics rows), and the
   * sender dropped none.
   */
  static Check sentEqualsReceived(long appQueued, long appDropped, long agentCounted) {
    long sent = appQueued - appDropped;
    return new Check("sent = received", sent == agentCounted && appDropped == 0, String.format(Locale.ROOT,
        "app sent %,d transactions (queued %,d, dropped %,d), local agent counted %,d", sent, appQueued,
        appDropped, agentCounted));
  }

  /** Every request answered made one transaction (no request untraced, none counted twice). */
  static Check everyRequestTraced(long answered, long ioErrors, long appQueued) {
    return new Check("every request traced", answered == appQueued && ioErrors == 0, String.format(Locale.ROOT,
        "%,d responses (%,d I/O errors), %,d transactions queued by the app", answered, ioErrors, appQueued));
  }

  /** Each kind of request answered as its handler must answer it. */
  static Check responsesAsExpected(long unexpectedStatus, long ioErrors, String firstProblem) {
    return new Check("responses as expected", unexpectedStatus == 0 && ioErrors == 0, String.format(Locale.ROOT,
        "%,d unexpected statuses, %,d I/O errors%s", unexpectedStatus, ioErrors,
        firstProblem == null ? "" : " (first: " + firstProblem + ")"));
  }

  /**
   * Nothing left running: the app's active table is empty and evicted nothing (an eviction is a
   * transaction whose end was never seen), the local agent has no pending transaction, and the
   * app's last active statistics it received count none.
   */
  static Check activeBackToZero(long appActive, long appEvicted, long agentPending, long agentActive) {
    return new Check("active back to 0", appActive == 0 && appEvicted == 0 && agentPending == 0 && agentActive == 0,
        String.format(Locale.ROOT, "app active %,d (evicted %,d), local agent pending %,d, active in the app's last"
            + " ACTIVE_STATS %,d", appActive, appEvicted, agentPending, agentActive));
  }

  static boolean allOk(List<Check> checks) {
    for (Check c : checks) {
      if (!c.ok()) {
        return false;
      }
    }
    return !checks.isEmpty();
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
  }
}
