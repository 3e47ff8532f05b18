package io.whatap.agent.assembly;

import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.Pack;
import io.whatap.wire.TxDbConnPack;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxHeader;
import io.whatap.wire.TxHttpcPack;
import io.whatap.wire.TxMethodPack;
import io.whatap.wire.TxMsgPack;
import io.whatap.wire.TxSqlPack;
import io.whatap.wire.TxStartEndPack;
import io.whatap.wire.TxStartPack;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Joins a transaction's TX_START, its steps and its TX_END (or one TX_START_END) by txid into a
 * {@link TxRecord.Builder}. Pending transactions are bounded in number by agent_pending_max and in
 * bytes by agent_pending_memory_mb (the oldest goes first; each one's size is estimated from the
 * lengths of the strings it keeps), and expire after agent_pending_timeout_ms; steps per
 * transaction by agent_profile_steps_max and agent_tx_memory_kb. A never-ended transaction with
 * large steps therefore costs a bounded amount, however many txids a sender invents.
 *
 * <p>Confined to the receiver thread: only the thread that applies datagrams calls it, so it has no
 * lock. Others read {@link #pendingCount()}, which it publishes after every change.
 */
public final class TxAssembler {
  public final LongAdder pendingEvicted = new LongAdder();
  public final LongAdder pendingExpired = new LongAdder();
  public final LongAdder startsMissing = new LongAdder();
  public final LongAdder stepsDropped = new LongAdder();
  /** Pending transactions dropped (oldest first) to keep agent_pending_memory_mb. */
  public final LongAdder pendingEvictedForMemory = new LongAdder();
  /** Steps dropped because their transaction reached agent_tx_memory_kb. */
  public final LongAdder stepsDroppedForMemory = new LongAdder();
  /** What a pending transaction costs besides its start and steps: the entry, its key, the list. */
  static final int PENDING_OVERHEAD_BYTES = 160;

  private final AgentSettings settings;
  private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>(256, 0.75f, false);
  /**
   * The newest pending transaction, kept out of {@link #pending}: its end nearly always arrives
   * next, in the same datagram, and then costs no map entry and no boxed key. Counts against
   * {@code pendingMax} like the map's entries.
   */
  private Pending hot;
  private long hotTxid;
  /** The interval in which pending transactions were last expired. */
  private long expiredInInterval;
  private volatile int pendingPublished;
  /** The estimated bytes of every pending transaction ({@link #pending} and {@link #hot}). */
  private long pendingBytes;
  private volatile long pendingBytesPublished;

  public TxAssembler(AgentSettings settings, long now) {
    this.settings = settings;
    this.expiredInInterval = floor(now);
  }

  private static final class Pending {
    final long firstSeen;
    TxStartPack start;
    ArrayList<TxStep> steps;
    int dropped;
    long bytes = PENDING_OVERHEAD_BYTES;

    Pending(long firstSeen) {
      this.firstSeen = firstSeen;
    }
  }

  /** Transactions started (or stepped) and not yet ended, as of the receiver's last datagram. */
  public int pendingCount() {
    return pendingPublished;
  }

  /** Makes the pending count visible to other threads; the receiver calls it after each datagram. */
  public void publish() {
    pendingPublished = pending.size() + (hot != null ? 1 : 0);
    pendingBytesPublished = pendingBytes;
  }

  /** The estimated bytes pending transactions hold, as of the receiver's last datagram. */
  public long pendingBytes() {
    return pendingBytesPublished;
  }

  public void start(TxStartPack s, long now) {
    TxStartPack kept = cutStart(s);
    long bytes = startBytes(kept);
    Pending t = pendingFor(s.header().txid(), now);
    if (t.start != null) {
      t.bytes -= startBytes(t.start);
      pendingBytes -= startBytes(t.start);
    }
    t.start = kept;
    t.bytes += bytes;
    pendingBytes += bytes;
    makeRoom(t);
  }

  /** The start with its texts cut to agent_text_max (a new pack only when one was longer). */
  private TxStartPack cutStart(TxStartPack s) {
    String host = cut(s.host());
    String uri = cut(s.uri());
    String ip = cut(s.ipaddr());
    String ua = cut(s.userAgent());
    String referer = cut(s.referer());
    String method = cut(s.httpMethod());
    if (host == s.host() && uri == s.uri() && ip == s.ipaddr() && ua == s.userAgent() && referer == s.referer()
        && method == s.httpMethod() && s.wClientId().isEmpty()) {
      return s;
    }
    return new TxStartPack(s.header(), host, uri, ip, ua, referer, "", s.staticContents(), method);
  }

  private static long startBytes(TxStartPack s) {
    return 120 + 2L * (TxStep.len(s.host()) + TxStep.len(s.uri()) + TxStep.len(s.ipaddr())
        + TxStep.len(s.userAgent()) + TxStep.len(s.referer()) + TxStep.len(s.httpMethod())
        + TxStep.len(s.wClientId()));
  }

  /**
   * Drops the oldest pending transactions (never {@code keep}, the one just added to) until all
   * of them fit in agent_pending_memory_mb.
   */
  private void makeRoom(Pending keep) {
    if (pendingBytes <= settings.pendingMemoryBytes) {
      return;
    }
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext()
        && pendingBytes > settings.pendingMemoryBytes; ) {
      Pending p = it.next();
      if (p == keep) {
        continue;
      }
      it.remove();
      pendingBytes -= p.bytes;
      pendingEvictedForMemory.increment();
    }
  }

  /** Joins {@code p} to its transaction when it is a step; false when it is not a step. */
  public boolean step(Pack p, long now) {
    if (p instanceof TxSqlPack x) {
      step(x.header(), TxStep.sql(x.header().time(), x.header().elapsed(), cut(x.dbc()), cut(x.sql()), x.fetch()),
          now);
    } else if (p instanceof TxDbConnPack x) {
      step(x.header(), TxStep.dbConn(x.header().time(), x.header().elapsed(), cut(x.dbc())), now);
    } else if (p instanceof TxHttpcPack x) {
      step(x.header(), TxStep.httpc(x.header().time(), x.header().elapsed(), cut(x.url()), x.stepId(),
          cut(x.driver())), now);
    } else if (p instanceof TxErrorPack x) {
      step(x.header(), TxStep.error(x.header().time(), x.header().elapsed(), cut(x.errorClass()), cut(x.message()),
          cut(x.stack())), now);
    } else if (p instanceof TxMsgPack x) {
      step(x.header(), TxStep.msg(x.header().time(), x.header().elapsed(), cut(x.title()), cut(x.value()),
          cut(x.description())), now);
    } else if (p instanceof TxMethodPack x) {
      step(x.header(), TxStep.method(x.header().time(), x.header().elapsed(), cut(x.method()), cut(x.stack())),
          now);
    } else {
      return false;
    }
    return true;
  }

  private String cut(String s) {
    return settings.cut(s);
  }

  private Pending pendingFor(long txid, long now) {
    if (hot != null && hotTxid == txid) {
      return hot;
    }
    Pending t = pending.isEmpty() ? null : pending.get(txid);
    if (t == null) {
      spillHot();
      if (pending.size() >= settings.pendingMax) {
        Iterator<Pending> it = pending.values().iterator();
        pendingBytes -= it.next().bytes;
        it.remove();
        pendingEvicted.increment();
      }
      t = new Pending(now);
      pendingBytes += t.bytes;
      hot = t;
      hotTxid = txid;
    }
    return t;
  }

  /** Moves the newest pending transaction into the map, behind every older one. */
  private void spillHot() {
    if (hot != null) {
      pending.put(hotTxid, hot);
      hot = null;
    }
  }

  private Pending removePending(long txid) {
    Pending t;
    if (hot != null && hotTxid == txid) {
      t = hot;
      hot = null;
    } else {
      t = pending.isEmpty() ? null : pending.remove(txid);
    }
    if (t != null) {
      pendingBytes -= t.bytes;
    }
    return t;
  }

  private void step(TxHeader h, TxStep step, long now) {
    Pending t = pendingFor(h.txid(), now);
    if (t.steps == null) {
      t.steps = new ArrayList<>();
    }
    if (t.steps.size() >= settings.profileStepsMax) {
      t.dropped++;
      stepsDropped.increment();
      return;
    }
    long bytes = step.estimatedBytes() + 8;
    if (t.bytes + bytes > settings.txMemoryBytes) {
      t.dropped++;
      stepsDropped.increment();
      stepsDroppedForMemory.increment();
      return;
    }
    t.steps.add(step);
    t.bytes += bytes;
    pendingBytes += bytes;
    makeRoom(t);
  }

  /** The transaction TX_END completes, joined with its start and steps when they were seen. */
  public TxRecord.Builder end(TxEndPack e) {
    TxHeader h = e.header();
    Pending t = removePending(h.txid());
    TxRecord.Builder b = new TxRecord.Builder();
    b.txid = h.txid();
    b.end = h.time();
    if (t != null && t.start != null) {
      TxStartPack s = t.start;
      fillStart(b, s.header(), s.host(), s.uri(), s.ipaddr(), s.userAgent(), s.referer());
      b.method = cut(s.httpMethod());
    } else {
      startsMissing.increment();
      b.startMissing = true;
      b.start = h.time();
      if (t != null && t.steps != null) {
        for (TxStep s : t.steps) {
          b.start = Math.min(b.start, s.time());
        }
      }
    }
    if (!e.uri().isEmpty()) {
      b.name = settings.cutName(e.uri()); // the final name: an adapter may rename after the start (route templates)
    }
    if (b.host == null || b.host.isEmpty()) {
      b.host = cut(e.host());
    }
    b.elapsed = (int) Math.max(0, Math.min(Integer.MAX_VALUE, b.end - b.start));
    b.status = e.status();
    b.cpuMs = h.cpu();
    b.mtid = e.mtid();
    b.mdepth = e.mdepth();
    b.callerTxid = e.mcallerTxid();
    b.callerSpec = cut(e.mcallerSpec());
    b.callerUrl = cut(e.mcallerUrl());
    b.callerStepId = e.mcallerStepId();
    return withSteps(b, t, h.pid());
  }

  /** The transaction one TX_START_END describes, with the steps that arrived before it. */
  public TxRecord.Builder startEnd(TxStartEndPack se) {
    TxHeader h = se.header();
    Pending t = removePending(h.txid());
    TxRecord.Builder b = new TxRecord.Builder();
    b.txid = h.txid();
    fillStart(b, h, se.host(), se.uri(), se.ipaddr(), se.userAgent(), se.referer());
    b.elapsed = Math.max(0, h.elapsed());
    b.end = b.start + b.elapsed;
    b.cpuMs = h.cpu();
    b.mtid = se.mtid();
    b.mdepth = se.mdepth();
    b.callerTxid = se.mcallerTxid();
    b.callerSpec = cut(se.mcallerSpec());
    b.callerUrl = cut(se.mcallerUrl());
    b.method = cut(se.httpMethod());
    b.status = se.status();
    b.callerStepId = se.mcallerStepId();
    return withSteps(b, t, h.pid());
  }

  private void fillStart(TxRecord.Builder b, TxHeader h, String host, String uri, String ip, String ua,
      String referer) {
    b.start = h.time();
    b.name = settings.cutName(uri);
    b.path = b.name;
    b.host = cut(host);
    b.clientIp = cut(ip);
    b.userAgent = cut(ua);
    b.referer = cut(referer);
  }

  /** Attaches the steps in time order; the first error step names the transaction's error. */
  private static TxRecord.Builder withSteps(TxRecord.Builder b, Pending t, int pid) {
    b.pid = pid;
    if (t != null && t.steps != null) {
      t.steps.sort((x, y) -> Long.compare(x.time(), y.time()));
      b.steps = t.steps;
      b.stepsDropped = t.dropped;
      for (TxStep s : t.steps) {
        if (s.kind().equals("error")) {
          if (!b.error) {
            b.errorClass = s.title();
            b.errorMessage = s.detail();
          }
          b.error = true;
        }
      }
    }
    return b;
  }

  private long floor(long t) {
    return t - Math.floorMod(t, (long) settings.intervalMs);
  }

  /** Expires old pending transactions once per interval (the receiver calls it for every datagram). */
  public void expireIfDue(long now) {
    long current = floor(now);
    if (current > expiredInInterval) {
      expire(now);
    }
  }

  /** Drops the transactions pending for longer than agent_pending_timeout_ms. */
  public void expire(long now) {
    expiredInInterval = floor(now);
    long limit = now - settings.pendingTimeoutMs;
    spillHot();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.firstSeen >= limit) {
        break;
      }
      pendingBytes -= p.bytes;
      it.remove();
      pendingExpired.increment();
    }
    publish();
  }
}
