package io.whatap.runtime;

import io.whatap.util.AgentLog;
import io.whatap.util.BoundedQueue;
import io.whatap.util.Stacks;
import io.whatap.config.Config;
import io.whatap.trace.ActiveRegistry;
import io.whatap.trace.Meters;
import io.whatap.trace.Step;
import io.whatap.trace.TraceContext;
import io.whatap.trace.TransactionSink;
import io.whatap.wire.DatagramSeal;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.PackType;
import io.whatap.wire.StatsOffer;
import io.whatap.wire.WireWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The only thread that encodes and sends. Request threads hand it ended transactions (and
 * other threads hand it ready frames) through a bounded lock-free queue and return at once;
 * a full queue drops and counts. Frames are packed into datagrams of at most
 * {@code net_udp_chunk_bytes}. A datagram leaves when the next frame would not fit, when the
 * application goes quiet (the queue stayed empty for a linger), when its oldest frame has
 * waited {@code net_flush_max_delay_ms}, and at once for the first transactions after an idle
 * period: a lone transaction is on the wire within microseconds, and under a steady load
 * every datagram is full, so the per-datagram cost (a system call that on loopback also runs
 * the receiver's side of the delivery) is paid once per ~200 transactions, not once per
 * millisecond.
 *
 * <p>In stats mode (while our local agent keeps offering it, {@link StatsOffer}) the sender also
 * owns the interval's statistics ({@link StatsAggregator}): every ended transaction is decided here,
 * off the request thread: it leaves in full when it is slow, failed, linked to another service,
 * started its TX_START early, is one of its name's samples, or the process is quiet, and is added to
 * the statistics otherwise. The counter thread's flush request, queued behind the transactions,
 * sends them.
 */
public final class UdpSender implements TransactionSink {
  private final Supplier<Config> config;
  private final Meters meters;
  private final ActiveRegistry active;
  private final BoundedQueue<Object> queue;
  private final WireWriter out = new WireWriter(64 * 1024);
  private final int pid;
  private final Thread thread;
  /**
   * How long the sender lingers, in a timed park that nobody has to wake, after it has drained
   * the queue, before it flushes and sleeps until woken. Waking a parked thread is a system call
   * of microseconds that would otherwise land on the request thread of nearly every transaction
   * under a steady load, and each linger that ends is a context switch on the sender's side: 4 ms
   * keeps both rare (250 wake-ups a second at most) while a queue of 8,192 still holds what two
   * million transactions a second would bring meanwhile.
   */
  static final long LINGER_NANOS = 4_000_000L;
  /** WhaTap's browser-user id and static-content flag: this agent records neither (no user tracking, no asset flag). */
  private static final String NO_WEB_CLIENT_ID = null;
  /** The caller's step id: our callers name the link by the callee txid they assigned, so it is always 0. */
  private static final long NO_CALLER_STEP = 0;

  /**
   * Until when (System.nanoTime) the local agent's last offer to read step-less transactions as one
   * Go-layout TX_START_END lets the sender use it. The agent repeats its offer while it hears from
   * us; an agent that stops offering (replaced by one that never did) gets TX_START and TX_END again
   * once this has passed.
   */
  private volatile long startEndOfferedUntilNanos = System.nanoTime() - 1;
  /**
   * Until when (System.nanoTime) the local agent's last stats-mode offer holds. Read by request
   * threads as a transaction ends: that moment decides whether it is counted by the sender's
   * statistics or by the request thread's meters, so a switch neither loses nor counts twice.
   */
  private volatile long statsOfferedUntilNanos = System.nanoTime() - 1;
  /** Set by the first stats offer: from then on the counter thread asks for a statistics flush each interval. */
  private volatile boolean statsEverOffered;
  /** Read and written by the back-channel thread only. */
  private boolean statsOfferLogged;
  /** The queue item by which the counter thread asks the sender to send the interval's statistics. */
  private static final Object FLUSH_STATS = new Object();
  /** The sender thread's own. */
  private final StatsAggregator stats = new StatsAggregator();
  private final IntConsumer afterFrameFn = this::afterFrame;
  private final Consumer<TraceContext> announceIfLong = this::announceIfLong;
  private long lastStartScanNanos;
  private long startScanNowNanos;
  private Config startScanConfig;
  /** Read and written by the back-channel thread only: the first offer is logged, the others not. */
  private boolean startEndOfferLogged;
  private volatile boolean sleeping;
  private volatile boolean stopping;
  private DatagramChannel channel;
  private InetSocketAddress target;
  private volatile InetSocketAddress connectedTo;
  private Config targetConfig;
  private Step[] scratch = new Step[64];
  private int pendingFrames;
  private int itemsSinceClockRead;
  private long bufferSinceNanos;
  private long backoffUntilNanos;
  private long backoffMs;
  private DatagramSeal seal;
  private String sealSecret;

  // meters (exported by the counter thread)
  /** Ready-made frame buffers queued: what the queue took that was not a transaction. */
  private final LongAdder frameItemsQueued = new LongAdder();
  public final LongAdder transactionsDropped = new LongAdder();
  public final LongAdder framesDropped = new LongAdder();
  /** Frames in datagrams the kernel accepted (what a receiver with room gets). */
  public final LongAdder framesSent = new LongAdder();
  public final LongAdder datagramsSent = new LongAdder();
  public final LongAdder bytesSent = new LongAdder();
  public final LongAdder sendErrors = new LongAdder();
  /** Stats mode: transactions counted in the statistics only, and those sent in full instead. */
  public final LongAdder transactionsAggregated = new LongAdder();
  public final LongAdder transactionsSentFull = new LongAdder();
  /** Transactions whose TX_START left while they ran ({@code tx_start_send_after_ms}). */
  public final LongAdder startsSentEarly = new LongAdder();

  /**
   * Transactions the queue took. Derived from the queue's own tail, so that the hand-off on the
   * request thread updates no counter of its own.
   */
  public long transactionsQueued() {
    return queue.offered() - frameItemsQueued.sum();
  }

  public UdpSender(Supplier<Config> config, int pid, Meters meters, ActiveRegistry active) {
    this.config = config;
    this.meters = meters;
    this.active = active;
    this.pid = pid;
    this.queue = new BoundedQueue<>(config.get().netSendQueueSize);
    this.thread = new Thread(this::run, "whatap-sender");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public int pid() {
    return pid;
  }

  public int queueCapacity() {
    return queue.capacity();
  }

  public int queueSize() {
    return queue.size();
  }

  /** The channel the back channel reads from (opened on first use). */
  public synchronized DatagramChannel channel() throws IOException {
    InetSocketAddress to = target();
    if (channel == null || !channel.isOpen() || !java.util.Objects.equals(connectedTo, to)) {
      closeChannel();
      DatagramChannel ch = DatagramChannel.open();
      Config c = config.get();
      try {
        ch.setOption(StandardSocketOptions.SO_SNDBUF, c.netSendBufferBytes);
      } catch (IOException | UnsupportedOperationException e) {
        AgentLog.get().warnOnce("udp-sndbuf", "could not set SO_SNDBUF: " + e, null);
      }
      InetAddress host = InetAddress.getByName(c.netUdpHost);
      ch.bind(new InetSocketAddress(host.isLoopbackAddress() ? host : null, 0));
      if (to != null) {
        ch.connect(to); // the kernel then reports the agent's ICMP port-unreachable (LocalAgentWatch)
      }
      connectedTo = to;
      channel = ch;
    }
    return channel;
  }

  synchronized void closeChannel() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // closing for good: nothing to report
      }
    }
  }

  /** The configured local agent address (the back channel believes only this one). */
  public synchronized InetSocketAddress target() {
    Config c = config.get();
    if (c != targetConfig) {
      targetConfig = c;
      InetSocketAddress next = new InetSocketAddress(c.netUdpHost, c.netUdpPort);
      if (next.isUnresolved()) {
        AgentLog.get().warnOnce("udp-host:" + c.netUdpHost,
            "net_udp_host=" + c.netUdpHost + " does not resolve; nothing is sent until it does", null);
        next = null;
      }
      target = next;
    }
    return target;
  }

  @Override
  public boolean offer(TraceContext ended) {
    if (!queue.offer(ended)) {
      transactionsDropped.increment();
      return false;
    }
    wake();
    return true;
  }

  /** The local agent offered to read step-less transactions as one TX_START_END frame, for {@code validNanos}. */
  public void acceptStartEndOffer(long validNanos) {
    startEndOfferedUntilNanos = System.nanoTime() + validNanos;
    if (!startEndOfferLogged && validNanos > 0) {
      startEndOfferLogged = true;
      AgentLog.get().info("the local agent offered one-frame transactions (TX_START_END, version "
          + PackType.GO_START_END_VERSION + "): a transaction without steps now leaves as one frame");
    }
  }

  /** The local agent offered stats mode, for {@code validNanos}. */
  public void acceptStatsOffer(long validNanos) {
    statsOfferedUntilNanos = System.nanoTime() + validNanos;
    if (validNanos > 0) {
      statsEverOffered = true;
      if (!statsOfferLogged) {
        statsOfferLogged = true;
        AgentLog.get().info("the local agent offered stats mode: statistics are computed here and sent every interval;"
            + " transactions leave in full when slow, failed, linked or sampled");
      }
    }
  }

  /** Whether a transaction ending now is counted in the sender's statistics (stats mode). */
  public boolean sendsStats() {
    return countsStatistics(System.nanoTime());
  }

  @Override
  public boolean countsStatistics(long nowNanos) {
    return nowNanos - statsOfferedUntilNanos < 0;
  }

  /**
   * Asks the sender to send the statistics gathered so far (the counter thread, every interval);
   * queued behind the transactions already handed over, so each is in exactly one interval. Nothing
   * is queued before the first stats offer. A full queue defers the flush to the next interval.
   */
  public void offerStatsFlush() {
    if (!statsEverOffered) {
      return;
    }
    frameItemsQueued.increment();
    if (!queue.offer(FLUSH_STATS)) {
      frameItemsQueued.decrement();
      return;
    }
    wake();
  }

  /** Transactions counted under (other names) because of {@code stats_names_max} (sender thread's count, read racily). */
  public long statsNamesFolded() {
    return stats.namesFolded;
  }

  /** Transactions left out of the hitmap (sender thread's count, read racily). */
  public long statsHitmapDropped() {
    return stats.hitmapDropped;
  }

  /** Whether a step-less transaction would leave as one frame now. */
  public boolean sendsStartEnd() {
    return System.nanoTime() - startEndOfferedUntilNanos < 0;
  }

  /** Queues ready-made frames (counters, back-channel answers); false when the queue is full. */
  public boolean offerFrames(byte[] frames) {
    frameItemsQueued.increment(); // before the offer, so that a concurrent read never counts it as a transaction
    if (!queue.offer(frames)) {
      frameItemsQueued.decrement();
      framesDropped.add(countFrames(frames));
      return false;
    }
    wake();
    return true;
  }

  private void wake() {
    if (sleeping) {
      sleeping = false;
      LockSupport.unpark(thread);
    }
  }

  /** Sends what is queued and stops the thread, waiting at most {@code timeoutMs}. */
  public void shutdown(long timeoutMs) {
    stopping = true;
    LockSupport.unpark(thread);
    try {
      thread.join(timeoutMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = queue.size();
    if (thread.isAlive() && left > 0) {
      AgentLog.get().log(System.Logger.Level.WARNING, "shutdown: " + left + " queued item(s) were not sent within "
          + timeoutMs + " ms");
    }
  }

  private void run() {
    boolean afterSleep = true; // the last wait was a sleep: the load is light, send at once
    boolean idleLinger = false; // the last linger brought nothing: the application went quiet
    while (true) {
      try {
        Object item = queue.poll();
        if (item == null) {
          sendStartsOfLongTransactions();
          if (stopping) {
            if (!stats.isEmpty()) {
              stats.writeTo(out, pid, System.currentTimeMillis(), afterFrameFn);
            }
            flush();
            return;
          }
          if (afterSleep || idleLinger || overdue()) {
            flush();
          }
          if (!idleLinger) {
            LockSupport.parkNanos(LINGER_NANOS);
            idleLinger = queue.isEmpty();
            afterSleep &= idleLinger;
            continue;
          }
          sleeping = true;
          if (queue.isEmpty() && !stopping) {
            LockSupport.parkNanos(config.get().netFlushMaxDelayMs * 1_000_000L);
          }
          sleeping = false;
          afterSleep = true;
          idleLinger = false;
          continue;
        }
        if (out.size() == 0) {
          bufferSinceNanos = System.nanoTime();
        }
        if (item instanceof TraceContext c) {
          if (c.countedInStats()) {
            aggregate(c);
          } else {
            encode(c);
          }
        } else if (item == FLUSH_STATS) {
          if (!stats.isEmpty()) {
            stats.writeTo(out, pid, System.currentTimeMillis(), afterFrameFn);
          }
        } else {
          byte[] frames = (byte[]) item;
          int mark = out.size();
          out.writeBytes(frames, 0, frames.length);
          afterFrames(mark, countFrames(frames));
        }
        if ((++itemsSinceClockRead & 63) == 0) {
          if (overdue()) {
            flush();
          }
          sendStartsOfLongTransactions();
        }
      } catch (Throwable t) {
        framesDropped.add(pendingFrames);
        pendingFrames = 0;
        out.reset();
        AgentLog.get().warnOnce("sender-loop", "the sender dropped a batch after an internal error", t);
        if (t instanceof VirtualMachineError) {
          LockSupport.parkNanos(100_000_000L);
        }
      }
    }
  }

  /** True when the buffered frames have waited {@code net_flush_max_delay_ms}: a queue that never drains must not hold them longer. */
  private boolean overdue() {
    return out.size() > 0 && System.nanoTime() - bufferSinceNanos > config.get().netFlushMaxDelayMs * 1_000_000L;
  }

  /** Frames in a ready-made buffer, read off their length fields. */
  static int countFrames(byte[] b) {
    int n = 0;
    int pos = 0;
    while (pos + 9 <= b.length) {
      int len = ((b[pos + 5] & 0xff) << 24) | ((b[pos + 6] & 0xff) << 16) | ((b[pos + 7] & 0xff) << 8) | (b[pos + 8] & 0xff);
      pos += 9 + Math.max(0, len);
      n++;
    }
    return n;
  }

  /**
   * Stats mode: counts {@code c} in the counters, then sends it in full when it carries information
   * the statistics do not (slow, failed, linked to another service, its TX_START already sent, one of
   * its name's samples, or the process is quiet), else adds it to the interval's statistics. Each
   * transaction is thus counted once by the local agent: from its frames or from a STATS_ROW.
   */
  private void aggregate(TraceContext c) {
    Config cfg = config.get();
    int status = c.statusCode();
    boolean error = c.hasError() || (status != 0 && cfg.isErrorStatus(status));
    meters.record(c.elapsedMs(), error);
    int endedThisSecond = stats.tick(c.endMillis());
    boolean full = c.startSent()
        || c.elapsedMs() >= cfg.profileBasetimeMs
        || c.hasError() || status >= cfg.profileErrorStatusMin
        || c.mtid() != 0 // a caller, or an outgoing call that carried our headers: the trace across services stays whole
        || endedThisSecond < cfg.profileAllBelowTps;
    StatsAggregator.Row row = null;
    if (!full) {
      row = stats.row(c.name(), cfg.statsNamesMax);
      full = row.takeSample(cfg.profileSamplePerName);
    }
    if (full) {
      transactionsSentFull.increment();
      encode(c);
      return;
    }
    transactionsAggregated.increment();
    stats.add(row, status, c.elapsedMs(), error, c.cpuMillis(), c.stepCount(), c.endMillis());
    c.recycleSteps();
  }

  /** Whether a local agent ever offered stats mode to this process. */
  public boolean statsEverOffered() {
    return statsEverOffered;
  }

  /**
   * Sends TX_START for every transaction running longer than {@code tx_start_send_after_ms} whose
   * start has not left yet: a receiver then knows of a long transaction while it runs. Scans the
   * active table at most four times per that bound (and at least every 50 ms apart); only this
   * thread encodes, so the start always precedes the end.
   */
  private void sendStartsOfLongTransactions() {
    Config cfg = config.get();
    int after = cfg.txStartSendAfterMs;
    if (after <= 0 || active == null) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastStartScanNanos < Math.max(50, after / 4) * 1_000_000L) {
      return;
    }
    lastStartScanNanos = now;
    startScanNowNanos = now;
    startScanConfig = cfg;
    active.forEach(announceIfLong);
  }

  private void announceIfLong(TraceContext c) {
    if (c.startSent() || c.isEnded() || c.runningMillis(startScanNowNanos) < startScanConfig.txStartSendAfterMs) {
      return;
    }
    c.markStartSent();
    startsSentEarly.increment();
    if (out.size() == 0) {
      bufferSinceNanos = startScanNowNanos;
    }
    int mark = out.size();
    PackEncoder.txStart(out, c.txid(), c.startMillis(), 0, 0, 0, pid, c.threadId(), c.host(), c.name(), c.clientIp(),
        c.userAgent(), c.referer(), NO_WEB_CLIENT_ID, false, c.httpMethod());
    afterFrame(mark);
  }

  private void encode(TraceContext c) {
    Config cfg = config.get();
    int steps = c.stepCount();
    // bufferSinceNanos is this datagram's first item: a clock reading at most one datagram old
    if (steps == 0 && c.capturedHeaders() == null && c.droppedSteps() == 0 && !c.startSent()
        && bufferSinceNanos - startEndOfferedUntilNanos < 0) {
      c.recycleSteps();
      encodeStartEnd(c);
    } else {
      encodeFrames(c, cfg);
    }
    if (cfg.traceLogging) {
      AgentLog.get().info("tx " + c.txid() + " " + c.httpMethod() + " " + c.name() + " status=" + c.statusCode()
          + " elapsed=" + c.elapsedMs() + "ms steps=" + steps + (c.hasError() ? " error" : ""));
    }
  }

  /**
   * A transaction with no step, captured header or flag the Go layout lacks, as one frame: the
   * header once (time = start, elapsed = duration) and every field of TX_START and TX_END, method
   * and status included.
   */
  private void encodeStartEnd(TraceContext c) {
    int mark = out.size();
    PackEncoder.txStartEndGo(out, c.txid(), c.startMillis(), c.elapsedMs(), c.cpuMillis(), 0, pid, c.threadId(), c.host(),
        c.name(), c.clientIp(), c.userAgent(), c.referer(), NO_WEB_CLIENT_ID, c.httpMethod(), c.mtid(), c.mdepth(), c.mcallerTxid(),
        c.mcallerPcode(), c.mcallerSpec(), c.mcallerUrl(), c.mcallerPoidKey(), c.statusCode(), NO_CALLER_STEP);
    afterFrame(mark);
  }

  private void encodeFrames(TraceContext c, Config cfg) {
    int mark;
    if (!c.startSent()) {
      mark = out.size();
      PackEncoder.txStart(out, c.txid(), c.startMillis(), 0, 0, 0, pid, c.threadId(), c.host(), c.name(), c.clientIp(),
          c.userAgent(), c.referer(), NO_WEB_CLIENT_ID, false, c.httpMethod());
      afterFrame(mark);
    }

    if (c.capturedHeaders() != null) {
      mark = out.size();
      PackEncoder.txCapturedHeaders(out, c.txid(), c.startMillis(), pid, c.threadId(), c.capturedHeaders());
      afterFrame(mark);
    }

    int n = c.stepCount();
    if (scratch.length < n) {
      scratch = new Step[Integer.highestOneBit(n) << 1];
    }
    int k = n;
    for (Step s = c.stepsNewestFirst(); s != null && k > 0; s = s.next()) {
      scratch[--k] = s;
    }
    for (int i = k; i < n; i++) {
      encodeStep(c, scratch[i], cfg);
      scratch[i] = null;
    }
    c.recycleSteps();
    if (c.droppedSteps() > 0) {
      mark = out.size();
      PackEncoder.txStepsDropped(out, c.txid(), c.endMillis(), pid, c.threadId(), c.droppedSteps());
      afterFrame(mark);
    }

    mark = out.size();
    PackEncoder.txEnd(out, c.txid(), c.endMillis(), 0, c.cpuMillis(), 0, pid, c.threadId(), c.host(), c.name(), c.mtid(),
        c.mdepth(), c.mcallerTxid(), c.mcallerPcode(), c.mcallerSpec(), c.mcallerUrl(), c.mcallerPoidKey(), c.statusCode(), false,
        NO_CALLER_STEP);
    afterFrame(mark);
  }

  /** One step as the frame of its kind (the fields are {@link Step}'s, the layout {@link PackEncoder}'s). */
  private void encodeStep(TraceContext c, Step s, Config cfg) {
    int mark = out.size();
    long txid = c.txid();
    long threadId = c.threadId();
    switch (s.type()) {
      case PackType.TX_SQL -> PackEncoder.txSql(out, txid, s.time(), s.elapsed(), 0, 0, pid, threadId, s.dbc(),
          s.sql(), s.fetch());
      case PackType.TX_DB_CONN -> PackEncoder.txDbConn(out, txid, s.time(), s.elapsed(), 0, 0, pid, threadId,
          s.dbc());
      case PackType.TX_HTTPC -> PackEncoder.txHttpc(out, txid, s.time(), s.elapsed(), 0, 0, pid, threadId, s.url(),
          s.calleeTxid(), s.driver());
      case PackType.TX_ERROR -> PackEncoder.txError(out, txid, s.time(), s.elapsed(), 0, 0, pid, threadId,
          s.errorClass(), s.errorMessage(),
          s.error() != null ? Stacks.render(s.error(), cfg.traceErrorStackDepth) : "");
      case PackType.TX_MSG -> PackEncoder.txMsg(out, txid, s.time(), s.elapsed(), 0, 0, pid, threadId, s.title(),
          s.value(), s.description());
      case PackType.TX_METHOD -> PackEncoder.txMethod(out, txid, s.time(), s.elapsed(), 0, 0, pid, threadId,
          s.methodName(), "");
      default -> {
        return; // no other type is ever recorded as a step
      }
    }
    afterFrame(mark);
  }

  /** Sends the datagram before a frame that made it too large; the frame moves to the front. */
  private void afterFrame(int frameStart) {
    afterFrames(frameStart, 1);
  }

  private void afterFrames(int frameStart, int frames) {
    int limit = config.get().netUdpChunkBytes;
    if (out.size() > limit && frameStart > 0) {
      send(out.array(), frameStart, pendingFrames);
      out.moveToFront(frameStart);
      pendingFrames = 0;
    }
    pendingFrames += frames;
    if (out.size() > limit) {
      flush(); // one frame over the chunk limit still fits a datagram: every field is bounded
    }
  }

  private void flush() {
    if (out.size() > 0) {
      send(out.array(), out.size(), pendingFrames);
      out.reset();
      pendingFrames = 0;
    }
  }

  private void send(byte[] a, int length, int frames) {
    long now = System.nanoTime();
    InetSocketAddress to = target();
    if (to == null) {
      framesDropped.add(frames);
      return;
    }
    if (!to.equals(connectedTo)) {
      backoffMs = 0; // the errors were another address's: a newly configured agent is tried at once
    }
    if (backoffMs > 0 && now < backoffUntilNanos) {
      framesDropped.add(frames);
      return;
    }
    String secret = config.get().netUdpSecret; // signs for an intake beyond loopback
    if (!secret.isEmpty()) {
      seal = secret.equals(sealSecret) ? seal : new DatagramSeal(sealSecret = secret);
      a = seal.seal(a, length);
      length = a.length;
    }
    try {
      channel().send(ByteBuffer.wrap(a, 0, length), to);
      datagramsSent.increment();
      bytesSent.add(length);
      framesSent.add(frames);
      backoffMs = 0;
    } catch (IOException | RuntimeException e) {
      sendErrors.increment();
      framesDropped.add(frames);
      backoffMs = backoffMs == 0 ? 100 : Math.min(5000, backoffMs * 2);
      backoffUntilNanos = now + backoffMs * 1_000_000L;
      AgentLog.get().warnOnce("udp-send", "sending to the local agent at " + to + " failed (" + e
          + "); retrying with back-off up to 5 s, dropping telemetry meanwhile", null);
    }
  }
}
