package io.whatap.spi;

import io.whatap.config.Config;
import io.whatap.runtime.Agent;
import io.whatap.runtime.Javaagent;
import java.util.Map;

/**
 * The configuration in force for a recorder module (JDBC, an HTTP client...): the running agent's
 * current snapshot, re-read on change. Read it per use rather than keeping it, so a changed
 * whatap.conf takes effect.
 */
public final class AgentConfig {
  /** Under the javaagent: the javaagent's configuration last seen and what it parsed to here. */
  private static volatile Bridged bridged;

  private AgentConfig() { }

  /**
   * This JVM's agent's configuration, starting the agent on first use. Under the javaagent (this
   * copy bundled by the application, see {@link Javaagent}) the javaagent's configuration, read
   * through its bridge: no second agent starts. Parsed again only when the javaagent's changes.
   */
  public static Config current() {
    if (!Javaagent.PRESENT) {
      return Agent.get().config();
    }
    Map<String, String> values = Javaagent.configuration();
    Bridged b = bridged;
    if (b == null || b.values != values) {
      b = new Bridged(values, new Config(values));
      bridged = b;
    }
    return b.config;
  }

  private static final class Bridged {
    final Map<String, String> values;
    final Config config;

    Bridged(Map<String, String> values, Config config) {
      this.values = values;
      this.config = config;
    }
  }
}
