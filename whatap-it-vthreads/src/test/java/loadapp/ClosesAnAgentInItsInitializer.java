package loadapp;

import io.whatap.runtime.Agent;

/**
 * Closes an agent in its static initializer: the agent's {@code close()} waits for its sender
 * thread, and a virtual thread waiting inside a class initializer stays pinned to its carrier,
 * with the agent's code as the one that blocked. What the self-check records.
 */
public final class ClosesAnAgentInItsInitializer {
  /** The agent to close, set before the outer class is first touched (setting it does not initialize the outer class). */
  public static final class Target {
    public static volatile Agent agent;

    private Target() { }
  }

  static {
    Target.agent.close();
  }

  private ClosesAnAgentInItsInitializer() { }

  public static void touch() {
    // initializing the class is the point
  }
}
