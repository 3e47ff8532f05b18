package io.whatap.spi;

import io.whatap.config.Config;
import io.whatap.config.ConfigLoader;
import io.whatap.http.HttpServerHandler;
import io.whatap.runtime.Agent;
import io.whatap.runtime.Javaagent;
import java.util.Map;

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
   * {@link #handler()}, or null when this copy of whatap-api is bundled by an application that runs
   * under the javaagent (see {@link Javaagent}): the javaagent's own hooks trace the server's
   * requests then (Vert.x routers, Undertow roots), so an adapter of this copy passes its requests
   * through and starts no second agent.
   */
  public static HttpServerHandler handlerUnlessJavaagent() {
    return Javaagent.PRESENT ? null : handler();
  }

  /** True when this copy of whatap-api defers to the javaagent; see {@link #handlerUnlessJavaagent()}. */
  public static boolean javaagentTraces() {
    return Javaagent.PRESENT;
  }

  /**
   * An adapter's own failure: logged once per {@code key} (a stable key per kind of failure) to the
   * agent log, and counted in {@code agent_internal_errors} every time. Never throws.
   */
  public static void failure(String key, String message, Throwable error) {
    AgentLogs.failure(key, message, error);
  }

  /**
   * A configuration value (whatap.conf, {@code WHATAP_*}, {@code -Dwhatap.*}) as text, or
   * {@code dflt}: the running agent's, else read from the configuration sources without starting
   * an agent (a container may ask before it decides to trace at all).
   */
  public static String option(String key, String dflt) {
    Agent running = Agent.running();
    Config c = running != null ? running.config() : ConfigLoader.fromEnvironment().current();
    return c.get(key, dflt);
  }

  /**
   * Takes a hold on this JVM's agent for a component with a life of its own (a web application's
   * filter, from init to destroy): the agent starts with the first hold, {@code options} (whatap.conf
   * keys, e.g. init-params) already applied, and stops with the last {@link Lease#release()},
   * threads and sockets and all, so that undeploying the application leaves nothing behind.
   *
   * <p>Under the javaagent (this copy bundled by the application, see {@link Javaagent}) no agent
   * starts: the lease's {@link Lease#handler()} is null, so the component passes its requests
   * through, and the javaagent's own hook traces them (one transaction per request, one agent).
   */
  public static Lease acquire(Map<String, String> options) {
    if (Javaagent.PRESENT) {
      if (!options.isEmpty()) {
        Javaagent.configure(options);
      }
      return new Lease(null);
    }
    return new Lease(Agent.acquire(options));
  }

  /** One hold on the agent; see {@link #acquire}. */
  public static final class Lease {
    /** Null under the javaagent: nothing to hold, nothing to trace here. */
    private final Agent agent;

    private Lease(Agent agent) {
      this.agent = agent;
    }

    /** The agent's shared handler; null when the javaagent traces this JVM's requests instead. */
    public HttpServerHandler handler() {
      return agent == null ? null : agent.http;
    }

    /** Applies more whatap.conf keys to the agent (below {@code WHATAP_*} and {@code -Dwhatap.*}). */
    public void configure(Map<String, String> options) {
      if (agent == null) {
        Javaagent.configure(options);
      } else {
        agent.configure(options);
      }
    }

    /** Gives the hold back: the last one stops the agent. */
    public void release() {
      if (agent == null) {
        return;
      }
      Agent.release(agent);
    }
  }
}
