package io.whatap.agent;

import io.whatap.util.Stacks;

/**
 * What the local agent process does when one of its threads meets an {@link Error} (OutOfMemoryError,
 * StackOverflowError, a linkage error...): it says so, with the stack, in one write to its own
 * stderr (the local agent is a process of its own: the start script and systemd send its console
 * to the agent log; no application's output is involved), and ends with {@link #EXIT_STATUS}, for the start script's loop or systemd to
 * start a fresh process. Carrying on would leave a zombie: a thread that died (the receiver, the
 * timer) is not restarted, and after an OutOfMemoryError no structure can be trusted to be whole.
 */
public final class FatalError {
  /** The exit status after an Error (2: configuration refused, 3: a port could not be bound). */
  public static final int EXIT_STATUS = 4;

  /**
   * Memory given back just before the message is written, so that writing it does not fail in
   * turn after an OutOfMemoryError.
   */
  private static volatile byte[] reserve = new byte[256 * 1024];

  private FatalError() {
  }

  /** Writes why the process ends and halts it with {@link #EXIT_STATUS}; never returns. */
  public static void haltProcess(String where, Throwable error) {
    reserve = null;
    try {
      System.err.print("whatap-agent: FATAL: " + error + " in " + where + "; the agent exits with status "
          + EXIT_STATUS + " (the start script or systemd restarts it). If this is an OutOfMemoryError, raise -Xmx"
          + " (WHATAP_AGENT_JAVA_OPTS) or lower the agent_*_memory_* options: see docs/local-agent.md, Security.\n"
          + Stacks.render(error, 64));
      System.err.flush();
    } catch (Throwable ignored) {
      // the process ends below whatever happened to the message
    } finally {
      // halt, not exit: shutdown hooks could wait on threads that are in no state to answer
      Runtime.getRuntime().halt(EXIT_STATUS);
    }
  }
}
