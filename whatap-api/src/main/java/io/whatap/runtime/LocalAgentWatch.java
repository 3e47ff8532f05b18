package io.whatap.runtime;

import io.whatap.config.Config;
import io.whatap.util.AgentLog;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Tells the agent log when the local agent has not answered for {@code net_agent_silent_warn_ms}
 * (once, at WARNING, with its address) and when it answers again (INFO).
 *
 * <p>What "answered" means: within the window, (1) a back-channel datagram came from the agent's
 * address (our local agent sends its one-frame offer, 7001, every 10 s to every process it hears
 * from, and asks each new one for its configuration), or (2) datagrams went to it and none was
 * refused. WhaTap's own agent may send nothing unprompted, so (2) is what tells about it: the
 * sender's socket is connected to the agent's address, so when nobody is bound to that UDP port the
 * host's ICMP port-unreachable comes back to the socket as a {@link java.net.PortUnreachableException},
 * seen by the back-channel thread blocked in its receive ({@link #refused}) or by the sender's next
 * send (a send error). The sender sends counters every {@code counter_interval_ms} (5 s), so a
 * window of 60 s always holds traffic. An agent on this host (the usual set-up: loopback) that is
 * stopped or never started is thus reported within one window, whichever agent it is; an agent on
 * another host behind a firewall that drops ICMP cannot be told from a live one and counts as
 * answering. While nothing is sent, nothing is concluded.
 *
 * <p>{@link #run} is the check, on the agent's timer thread every {@link #checkPeriodMs} (a quarter
 * of the window, between 20 ms and 5 s); {@link #heard} and {@link #refused} are volatile writes from
 * the back-channel thread. No extra socket, no extra datagram.
 */
final class LocalAgentWatch implements Runnable {
  private final Supplier<Config> config;
  private final Supplier<InetSocketAddress> target;
  private final LongSupplier datagramsSent;
  private final LongSupplier sendErrors;
  private final LongSupplier nanoClock;
  private volatile long heardNanos;
  private volatile long refusals;
  // the rest is the timer thread's (run is synchronized for the tests' reads)
  private InetSocketAddress watched;
  private long lastSent;
  private long lastErrors;
  private long lastRefusals;
  private long answeredNanos;
  private long refusedNanos;
  private long silentSinceNanos;
  private boolean silentReported;
  private volatile boolean closed;

  LocalAgentWatch(Supplier<Config> config, Supplier<InetSocketAddress> target, LongSupplier datagramsSent,
      LongSupplier sendErrors) {
    this.config = config;
    this.target = target;
    this.datagramsSent = datagramsSent;
    this.sendErrors = sendErrors;
    this.nanoClock = System::nanoTime;
    long now = nanoClock.getAsLong();
    heardNanos = now;
    refusedNanos = now;
    answeredNanos = now; // the window starts with the agent: a first warning comes one window after start
  }

  /** How often {@link #run} should check for a window of {@code warnMs}; 0 when the watch is off. */
  static long checkPeriodMs(int warnMs) {
    return warnMs <= 0 ? 0 : Math.max(20, Math.min(5000, warnMs / 4));
  }

  /** A back-channel datagram came from the local agent. */
  void heard() {
    heardNanos = nanoClock.getAsLong();
  }

  /** The back channel's socket reported an ICMP port-unreachable from the agent's address. */
  void refused() {
    refusals++; // the back-channel thread is the only writer
  }

  /** When a back-channel datagram last came from the agent (System.nanoTime). */
  long heardNanos() {
    return heardNanos;
  }

  /** Whether the log said the agent is silent and has not yet said it came back. */
  public synchronized boolean reportedSilent() {
    return silentReported;
  }

  @Override
  public synchronized void run() {
    if (closed) {
      return;
    }
    try {
      check();
    } catch (RuntimeException e) {
      AgentLog.get().warnOnce("agent-watch", "watching whether the local agent answers failed", e);
    }
  }

  private void check() {
    Config c = config.get();
    InetSocketAddress to = target.get();
    long now = nanoClock.getAsLong();
    long sent = datagramsSent.getAsLong();
    long errors = sendErrors.getAsLong();
    long refused = refusals;
    boolean anyRefused = refused != lastRefusals || errors != lastErrors;
    boolean anySent = sent != lastSent;
    lastSent = sent;
    lastErrors = errors;
    lastRefusals = refused;
    if (to == null || c.netAgentSilentWarnMs <= 0) {
      return; // an address that does not resolve is reported where it is resolved
    }
    if (!to.equals(watched)) {
      watched = to; // another agent address: a new window, against it
      answeredNanos = now;
      silentReported = false;
      return;
    }
    if (anyRefused) {
      refusedNanos = now;
    } else if (anySent) {
      answeredNanos = now;
    }
    long heard = heardNanos;
    if (heard - answeredNanos > 0) {
      answeredNanos = heard;
    }
    long silentNanos = now - answeredNanos;
    if (silentNanos >= c.netAgentSilentWarnMs * 1_000_000L) {
      if (!silentReported) {
        silentReported = true;
        silentSinceNanos = answeredNanos;
        AgentLog.get().log(System.Logger.Level.WARNING, "the local agent at " + text(to)
            + " has not answered for " + silentNanos / 1_000_000L + " ms (net_agent_silent_warn_ms="
            + c.netAgentSilentWarnMs + "): " + (refusedNanos - answeredNanos > 0 ? "its port refuses datagrams (ICMP port unreachable)"
            : "nothing came from it") + "; telemetry sent meanwhile is lost. Start it (bin/whatap-start-agent)"
            + " or point net_udp_host/net_udp_port at it. This is said once, and again when it answers.");
      }
    } else if (silentReported) {
      silentReported = false;
      AgentLog.get().info("the local agent at " + text(to) + " answers again, after "
          + (answeredNanos - silentSinceNanos) / 1_000_000L + " ms of silence");
    }
  }

  /** host:port as configured, without a resolved name's "/": what the user wrote in net_udp_host. */
  private static String text(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  /** The watch checks nothing more. */
  public void close() {
    closed = true;
  }
}
