package io.whatap.agent.apps;

/**
 * A transaction still running in an application, from its answer to the active-list request
 * ({@code 25}): running time as of {@code asOf} (the agent's clock), and the stack once fetched.
 */
public record ActiveTx(long txid, long runningMs, long threadId, String method, String name, long asOf) {
  public long runningAt(long now) {
    return runningMs + Math.max(0, now - asOf);
  }
}
