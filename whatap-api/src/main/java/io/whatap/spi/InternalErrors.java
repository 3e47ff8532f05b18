package io.whatap.spi;

import io.whatap.util.AgentLog;

/**
 * How an adapter or recorder module (servlet, JDBC, an HTTP client...) reports a failure of its
 * own: logged once per key to the agent log, never to the application's output, and counted in
 * {@code agent_internal_errors} every time.
 */
public final class InternalErrors {
  private InternalErrors() { }

  /** Logs {@code message} once per {@code key} (a stable key per kind of failure) and counts it. Never throws. */
  public static void report(String key, String message, Throwable error) {
    AgentLog.get().warnOnce(key, message, error);
  }
}
