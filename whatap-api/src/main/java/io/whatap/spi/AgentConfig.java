package io.whatap.spi;

import io.whatap.config.Config;
import io.whatap.runtime.Agent;

/**
 * The configuration in force for a recorder module (JDBC, an HTTP client...): the running agent's
 * current snapshot, re-read on change. Read it per use rather than keeping it, so a changed
 * whatap.conf takes effect.
 */
public final class AgentConfig {
  private AgentConfig() { }

  /** This JVM's agent's configuration, starting the agent on first use. */
  public static Config current() {
    return Agent.get().config();
  }
}
