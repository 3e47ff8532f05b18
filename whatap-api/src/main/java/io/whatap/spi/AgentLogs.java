package io.whatap.spi;

import io.whatap.util.AgentLog;

/**
 * How an adapter or recorder module (servlet, JDBC, an HTTP client, the Spring Boot starter...)
 * writes to the agent log: never to the application's output. A failure is logged once per key and
 * counted in {@code agent_internal_errors} every time.
 */
public final class AgentLogs {
  private AgentLogs() { }

  /** Logs {@code message} once per {@code key} (a stable key per kind of failure) and counts it. Never throws. */
  public static void failure(String key, String message, Throwable error) {
    AgentLog.get().warnOnce(key, message, error);
  }

  /** An informational line (what a module decided at start, say). Never throws. */
  public static void info(String message) {
    AgentLog.get().info(message);
  }
}
