package io.whatap.spi;

import io.whatap.http.HttpServerHandler;
import io.whatap.runtime.Agent;
import io.whatap.util.AgentLog;

/**
 * The one way in for a server adapter module: the JVM's shared {@link HttpServerHandler}, a way
 * to report the adapter's own failures, and the configuration values an adapter reads. Adapters
 * import nothing of the core beyond the API and SPI packages (io.whatap, io.whatap.http,
 * io.whatap.trace, io.whatap.spi), so the runtime behind this class can change without them.
 */
public final class HttpServerTracing {
  private HttpServerTracing() { }

  /**
   * The shared handler of this JVM's agent, starting the agent on first use. Throws when the agent
   * cannot start: call it once when the adapter is built, report the failure with
   * {@link #failure} and serve every request untraced.
   */
  public static HttpServerHandler handler() {
    return Agent.get().http;
  }

  /**
   * An adapter's own failure: logged once per {@code key} (a stable key per kind of failure) to the
   * agent log, and counted in {@code agent_internal_errors} every time. Never throws.
   */
  public static void failure(String key, String message, Throwable error) {
    AgentLog.get().warnOnce(key, message, error);
  }

  /** A configuration value (whatap.conf, {@code WHATAP_*}, {@code -Dwhatap.*}) as text, or {@code dflt}. */
  public static String option(String key, String dflt) {
    return Agent.get().config().get(key, dflt);
  }
}
