package io.whatap.runtime;

import io.whatap.util.AgentLog;
import io.whatap.util.Stacks;
import io.whatap.config.Config;
import io.whatap.trace.ActiveRegistry;
import io.whatap.trace.TraceContext;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.StartEndOffer;
import io.whatap.wire.WireWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Answers the local agent's {@code paramId,requestId,extra} requests on the sender's socket:
 * 0 → the stack of an active transaction (ACTIVE_STACK, then ACTIVE_STATS); 25 → the active
 * transaction list; 26 → one active transaction's detail; 4 → the configuration (the value of
 * every key that names a secret, {@link io.whatap.config.Config#namesSecret}, masked); 7001 → our local agent's offer to read step-less transactions as one frame
 * ({@link StartEndOffer}; no answer); anything else → ACTIVE_STATS. Datagrams from any address
 * but the configured agent's are ignored and counted; each one from the agent tells the
 * {@link LocalAgentWatch} that the agent answers.
 */
final class BackChannel implements Runnable {
  static final int GET_ACTIVE_STACK = 0;
  static final int CONFIGURE_GET = 4;
  static final int GET_ACTIVE_TRANSACTION_LIST = 25;
  static final int GET_ACTIVE_TRANSACTION_DETAIL = 26;
  static final int THREAD_DUMP = 27;
  /** A thread dump stops here (TX_PARAM data is cut at 32,768 characters on the wire). */
  static final int THREAD_DUMP_MAX_CHARS = 30_000;

  private final Supplier<Config> config;
  private final ActiveRegistry active;
  private final UdpSender sender;
  private final LocalAgentWatch watch;
  public final LongAdder requests = new LongAdder();
  public final LongAdder ignored = new LongAdder();
  private final Thread thread;

  BackChannel(Supplier<Config> config, ActiveRegistry active, UdpSender sender, LocalAgentWatch watch) {
    this.config = config;
    this.active = active;
    this.sender = sender;
    this.watch = watch;
    this.thread = new Thread(this, "whatap-backchannel");
    this.thread.setDaemon(true);
  }

  private volatile boolean stopped;

  public void start() {
    thread.start();
  }

  /**
   * Ends the thread and waits for it (at most 1 s). The interrupt closes the channel it blocks in
   * (the sender's, which is being closed anyway).
   */
  public void stop() {
    stopped = true;
    thread.interrupt();
    if (thread.isAlive() && thread != Thread.currentThread()) {
      try {
        thread.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void run() {
    ByteBuffer buf = ByteBuffer.allocate(2048);
    while (!stopped) {
      try {
        buf.clear();
        SocketAddress from = sender.channel().receive(buf);
        InetSocketAddress agent = sender.target();
        if (agent == null || !agent.equals(from)) {
          ignored.increment();
          AgentLog.get().warnOnce("backchannel-foreign", "ignored a back-channel datagram from " + from
              + " (only " + agent + " is believed)", null);
          continue;
        }
        watch.heard();
        buf.flip();
        String text = StandardCharsets.UTF_8.decode(buf).toString();
        requests.increment();
        byte[] answer = answer(text);
        if (answer != null) {
          sender.offerFrames(answer);
        }
      } catch (PortUnreachableException e) {
        watch.refused(); // the sender's socket is connected: nobody is bound to the agent's port
      } catch (ClosedChannelException e) {
        if (stopped) {
          return;
        }
        parkBriefly();
      } catch (IOException | RuntimeException e) {
        AgentLog.get().warnOnce("backchannel", "the back channel failed to read or answer", e);
        parkBriefly();
      }
    }
  }

  private static void parkBriefly() {
    java.util.concurrent.locks.LockSupport.parkNanos(200_000_000L);
  }

  /** The frames answering one request, or null when it is malformed (counted). */
  byte[] answer(String request) {
    String[] parts = request.trim().split(",", 3);
    int paramId;
    try {
      paramId = Integer.parseInt(parts[0].trim());
    } catch (NumberFormatException e) {
      ignored.increment();
      AgentLog.get().warnOnce("backchannel-malformed", "ignored a malformed back-channel request", null);
      return null;
    }
    String requestId = parts.length > 1 ? parts[1] : "";
    String extra = parts.length > 2 ? parts[2] : "";
    if (paramId == StartEndOffer.PARAM_ID) {
      if (extra.trim().equals(StartEndOffer.EXTRA)) {
        sender.acceptStartEndOffer(StartEndOffer.VALID_MS * 1_000_000L);
      } else {
        ignored.increment();
        AgentLog.get().warnOnce("backchannel-offer", "ignored an offer of a layout this agent does not write: "
            + (extra.length() > 80 ? extra.substring(0, 80) + "..." : extra), null);
      }
      return null;
    }
    Config c = config.get();
    long now = System.nanoTime();
    WireWriter w = new WireWriter(4096);
    switch (paramId) {
      case GET_ACTIVE_STACK:
        PackEncoder.activeStack(w, stackOf(extra, c));
        PackEncoder.activeStats(w, active.bands(now, c.activeBandsMs));
        break;
      case GET_ACTIVE_TRANSACTION_LIST:
        PackEncoder.txParam(w, String.valueOf(paramId), requestId, activeList(now));
        break;
      case GET_ACTIVE_TRANSACTION_DETAIL:
        PackEncoder.txParam(w, String.valueOf(paramId), requestId, stackOf(extra, c));
        break;
      case CONFIGURE_GET:
        PackEncoder.txParam(w, String.valueOf(paramId), requestId, configText(c));
        break;
      case THREAD_DUMP:
        PackEncoder.txParam(w, String.valueOf(paramId), requestId, threadDump(c));
        break;
      default:
        PackEncoder.activeStats(w, active.bands(now, c.activeBandsMs));
        break;
    }
    return Arrays.copyOf(w.array(), w.size());
  }

  /**
   * "txid" (optionally followed by more words) in; "threadId, txid, stack" out: the layout golib's
   * reader splits on ", " (part 1 the txid, part 2 the stack).
   */
  private String stackOf(String extra, Config c) {
    String first = extra.trim().split("[ ,]+", 2)[0];
    long txid;
    try {
      txid = Long.parseLong(first);
    } catch (NumberFormatException e) {
      return "0, 0, (not a transaction id: " + first + ")";
    }
    TraceContext ctx = active.find(txid);
    if (ctx == null) {
      return "0, " + txid + ", (no such active transaction)";
    }
    StringBuilder sb = new StringBuilder(1024);
    sb.append(ctx.threadId()).append(", ").append(txid).append(", ");
    Thread t = ctx.thread();
    if (t != null) {
      Stacks.appendFrames(sb, t.getStackTrace(), Math.max(10, c.traceErrorStackDepth * 2));
    }
    return sb.toString();
  }

  /**
   * Every live thread of the process with its state and frames (trace_error_stack_depth * 2 per
   * thread, at least 10), cut at {@link #THREAD_DUMP_MAX_CHARS} with the number of threads left out.
   */
  static String threadDump(Config c) {
    Map<Thread, StackTraceElement[]> all = Thread.getAllStackTraces();
    StringBuilder sb = new StringBuilder(8192);
    int depth = Math.max(10, c.traceErrorStackDepth * 2);
    int left = all.size();
    for (Map.Entry<Thread, StackTraceElement[]> e : all.entrySet()) {
      Thread t = e.getKey();
      int mark = sb.length();
      sb.append('"').append(t.getName()).append("\" #").append(t.getId()).append(t.isDaemon() ? " daemon" : "")
          .append(' ').append(t.getState()).append('\n');
      Stacks.appendFrames(sb, e.getValue(), depth);
      sb.append('\n');
      if (sb.length() > THREAD_DUMP_MAX_CHARS) {
        sb.setLength(mark);
        sb.append("... ").append(left).append(" more thread(s) left out (the answer is at most ")
            .append(THREAD_DUMP_MAX_CHARS).append(" characters)\n");
        break;
      }
      left--;
    }
    return sb.toString();
  }

  private String activeList(long now) {
    StringBuilder sb = new StringBuilder();
    for (TraceContext ctx : active.snapshot()) {
      sb.append(ctx.txid()).append(' ').append(ctx.runningMillis(now)).append(' ').append(ctx.threadId())
          .append(' ').append(ctx.httpMethod() == null ? "-" : ctx.httpMethod()).append(' ').append(ctx.name()).append('\n');
      if (sb.length() > 30_000) {
        break;
      }
    }
    return sb.toString();
  }

  /** What a secret's value becomes in the configuration answer: the key stays, so the reader sees it is set. */
  static final String MASKED = "****";

  /** "key=value" lines, sorted; the value of every key that names a secret is {@link #MASKED}. */
  static String configText(Config c) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : new TreeMap<>(c.raw()).entrySet()) {
      sb.append(e.getKey()).append('=').append(Config.namesSecret(e.getKey()) ? MASKED : e.getValue()).append('\n');
    }
    return sb.toString();
  }
}
