package io.whatap.internal;

import io.whatap.config.Config;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Tells the agent log when the local agent has not answered for {@code net_agent_silent_warn_ms}
 * (once, at WARNING, with its address) and when it answers again (INFO).
 *
 * <p>What "answered" means: the local agent showed within the window that it is there, in one of
 * two ways. (1) A back-channel datagram came from its address: our local agent sends its
 * one-frame offer (7001) every 10 s to every process it hears from, and requests the
 * configuration of each new process. (2) A probe found its port open: WhaTap's own agent may send
 * nothing unprompted, so on every check this watch sends an empty datagram (no frame: both agents
 * decode it as nothing) from a socket of its own, <em>connected</em> to the agent's address, and
 * reads that socket's pending error at the next check; a host whose UDP port has nobody bound to
 * it answers with an ICMP port-unreachable, which the connected socket reports as
 * {@link PortUnreachableException}. A probe without that error is taken as an answer. So a stopped
 * or never started agent on this host (the usual set-up: the agent listens on loopback) is seen
 * within one window; an agent on another host behind a firewall that drops ICMP cannot be told
 * apart from a live one and is taken as answering.
 *
 * <p>{@link #run} is the check: it runs on the agent's timer thread every
 * {@link #checkPeriodMs} (a quarter of the window, between 20 ms and 5 s). {@link #heard} is
 * called by the back-channel thread, a volatile write.
 */
public final class LocalAgentWatch implements Runnable {
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final Supplier<Config> config;
  private final Supplier<InetSocketAddress> target;
  private final LongSupplier nanoClock;
  private volatile long heardNanos;
  // the rest is the timer thread's
  private DatagramChannel probe;
  private InetSocketAddress probeTarget;
  private boolean probeSent;
  private long answeredNanos;
  private long silentSinceNanos;
  private boolean silentReported;
  private volatile boolean closed;

  LocalAgentWatch(Supplier<Config> config, Supplier<InetSocketAddress> target) {
    this(config, target, System::nanoTime);
  }

  LocalAgentWatch(Supplier<Config> config, Supplier<InetSocketAddress> target, LongSupplier nanoClock) {
    this.config = config;
    this.target = target;
    this.nanoClock = nanoClock;
    long now = nanoClock.getAsLong();
    heardNanos = now;
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
    if (to == null || c.netAgentSilentWarnMs <= 0) {
      return; // an address that does not resolve is reported where it is resolved
    }
    if (!to.equals(probeTarget)) {
      closeProbe(); // another agent address: a new window, against it
      probeTarget = to;
      answeredNanos = now;
      silentSinceNanos = 0;
    }
    boolean refused = readProbeError();
    if (probeSent && !refused) {
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
            + c.netAgentSilentWarnMs + "): " + (refused ? "its port refuses datagrams (ICMP port unreachable)"
            : "no datagram came from it") + "; telemetry sent meanwhile is lost. Start it (bin/whatap-start-agent)"
            + " or point net_udp_host/net_udp_port at it. This is said once, and again when it answers.");
      }
    } else if (silentReported) {
      silentReported = false;
      AgentLog.get().info("the local agent at " + text(to) + " answers again, after "
          + (answeredNanos - silentSinceNanos) / 1_000_000L + " ms of silence");
    }
    sendProbe(to);
  }

  /** True when the probe socket has an ICMP port-unreachable pending (the last probe was refused). */
  private boolean readProbeError() {
    if (probe == null) {
      return false;
    }
    try {
      ByteBuffer sink = ByteBuffer.allocate(1);
      while (probe.receive(sink) != null) {
        sink.clear(); // the agent does not write to this socket; whatever comes is not ours to read
      }
      return false;
    } catch (PortUnreachableException e) {
      return true;
    } catch (IOException e) {
      closeProbe();
      return false;
    }
  }

  private void sendProbe(InetSocketAddress to) {
    probeSent = false;
    try {
      if (probe == null) {
        DatagramChannel ch = DatagramChannel.open();
        try {
          InetAddress host = to.getAddress();
          ch.bind(new InetSocketAddress(host.isLoopbackAddress() ? host : null, 0));
          ch.connect(to);
          ch.configureBlocking(false);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw e;
        }
        probe = ch;
      }
      probe.write(EMPTY.duplicate());
      probeSent = true;
    } catch (PortUnreachableException e) {
      // a refusal of the previous probe that arrived after it was read: the next check sees the next one
    } catch (IOException | RuntimeException e) {
      closeProbe();
      AgentLog.get().warnOnce("agent-watch-probe", "cannot probe the local agent at " + text(to)
          + ": " + e + "; only its back-channel datagrams tell whether it answers", null);
    }
  }

  private void closeProbe() {
    if (probe != null) {
      try {
        probe.close();
      } catch (IOException ignored) {
        // closing for good
      }
      probe = null;
    }
    probeSent = false;
  }

  /** host:port as configured, without a resolved name's "/": what the user wrote in net_udp_host. */
  private static String text(InetSocketAddress a) {
    return a.getHostString() + ":" + a.getPort();
  }

  /** Closes the probe socket; the watch checks nothing more. */
  public synchronized void close() {
    closed = true;
    closeProbe();
  }
}
