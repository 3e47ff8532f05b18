package io.whatap.agent;

import io.whatap.wire.ActiveStackPack;
import io.whatap.wire.ActiveStatsPack;
import io.whatap.wire.DbConnPoolPack;
import io.whatap.wire.DecodeResult;
import io.whatap.wire.Pack;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.RelayPack;
import io.whatap.wire.StartEndOffer;
import io.whatap.wire.TagCountPack;
import io.whatap.wire.TextMemo;
import io.whatap.wire.TxDbConnPack;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxHeader;
import io.whatap.wire.TxHttpcPack;
import io.whatap.wire.TxMethodPack;
import io.whatap.wire.TxMsgPack;
import io.whatap.wire.TxParamPack;
import io.whatap.wire.TxSqlPack;
import io.whatap.wire.TxStartEndPack;
import io.whatap.wire.TxStartPack;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Everything the agent knows, fed by {@link #accept} (one datagram at a time, from the receiver
 * thread) and read by the HTTP API. Every structure is bounded by a setting: applications, pending
 * transactions, steps per transaction, names, history, the recent and kept rings (by count and by
 * estimated bytes) and the hitmap. One lock guards it all: a datagram is applied in microseconds,
 * and readers copy what they need.
 */
public final class AgentState {
  /** Sends a back-channel request ("paramId,requestId,extra") to an application's address. */
  public interface BackChannel {
    void send(String request, InetSocketAddress to);
  }

  static final String COUNTER_CATEGORY = "app_counter";
  /** Back-channel param ids (golib/python ParamDef): a stack, the configuration, the active list. */
  private static final String ACTIVE_STACK = "0";
  private static final String CONFIGURE_GET = "4";
  private static final String ACTIVE_LIST = "25";
  private static final int ACTIVE_LIST_MAX = 1000;
  private static final int MALFORMED_SAMPLE_MAX = 300;

  private final AgentSettings settings;
  private final LongSupplier clock;
  private volatile BackChannel backChannel = (request, to) -> { };
  private final AtomicLong requestIds = new AtomicLong();

  // garbage and traffic meters (read without the lock)
  public final LongAdder datagrams = new LongAdder();
  public final LongAdder bytes = new LongAdder();
  public final LongAdder malformed = new LongAdder();
  public final LongAdder oversized = new LongAdder();
  public final LongAdder unknownFrames = new LongAdder();
  public final LongAdder frames = new LongAdder();
  public final LongAdder unattributed = new LongAdder();
  public final LongAdder relayOther = new LongAdder();
  public final LongAdder pendingEvicted = new LongAdder();
  public final LongAdder pendingExpired = new LongAdder();
  public final LongAdder startsMissing = new LongAdder();
  public final LongAdder stepsDropped = new LongAdder();
  public final LongAdder appsEvicted = new LongAdder();
  public final LongAdder backChannelRequests = new LongAdder();
  public final LongAdder backChannelSendErrors = new LongAdder();
  public final LongAdder receiveErrors = new LongAdder();
  private volatile String lastMalformed = "";

  // guarded by this
  private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>(256, 0.75f, false);
  /**
   * The newest pending transaction, kept out of {@link #pending}: its end nearly always arrives
   * next, in the same datagram, and then costs no map entry and no boxed key. Counts against
   * {@code pendingMax} like the map's entries.
   */
  private Pending hot;
  private long hotTxid;
  private final LinkedHashMap<Integer, AppState> apps = new LinkedHashMap<>();
  private final HashMap<Integer, AppState> byPid = new HashMap<>();
  /** Changes whenever {@link #byPid} does: the last application found stays valid until then. */
  private int byPidVersion;
  private AppState lastApp;
  private int lastAppVersion = -1;
  private final HashMap<InetSocketAddress, AppState> bySource = new HashMap<>();
  private final Aggregate all;
  private final ArrayDeque<TxRecord> recent = new ArrayDeque<>();
  private final ArrayDeque<TxRecord> kept = new ArrayDeque<>();
  private long recentBytes;
  private long keptBytes;
  private final long[] hitEnd;
  private final int[] hitElapsed;
  private final int[] hitApp;
  private int hitNext;
  private int hitSize;
  private long completed;
  private int nextAppId = 1;
  private long intervalStart;
  /** Back-channel requests decided while applying a datagram, sent once the lock is released. */
  private final List<Outgoing> outbox = new ArrayList<>();

  private record Outgoing(String request, InetSocketAddress to) {
  }

  public AgentState(AgentSettings settings, LongSupplier clock) {
    this.settings = settings;
    this.clock = clock;
    this.all = newAggregate();
    this.hitEnd = new long[settings.hitmapMax];
    this.hitElapsed = new int[settings.hitmapMax];
    this.hitApp = new int[settings.hitmapMax];
    this.intervalStart = floor(clock.getAsLong());
  }

  public AgentSettings settings() {
    return settings;
  }

  public long now() {
    return clock.getAsLong();
  }

  void backChannel(BackChannel channel) {
    this.backChannel = channel;
  }

  /** Why the last malformed datagram was rejected (for diagnostics), or "". */
  public String lastMalformed() {
    return lastMalformed;
  }

  // ---------------------------------------------------------------- receive path

  /**
   * Applies one datagram. Never throws for any input: an oversized datagram is counted and dropped
   * undecoded; a malformed one is counted, and the frames before the bad one still apply.
   */
  public void accept(byte[] buf, int off, int len, InetSocketAddress from) {
    accept(buf, off, len, from, null);
  }

  /**
   * As {@link #accept(byte[], int, int, InetSocketAddress)}, decoding repeated texts through
   * {@code memo}: the receiving thread's own (see {@link TextMemo}).
   */
  public void accept(byte[] buf, int off, int len, InetSocketAddress from, TextMemo memo) {
    datagrams.increment();
    bytes.add(len);
    if (len > settings.udpMaxBytes) {
      oversized.increment();
      return;
    }
    DecodeResult r = PackDecoder.decode(buf, off, len, memo);
    frames.add(r.framesRead());
    if (r.unknownFrames() > 0) {
      unknownFrames.add(r.unknownFrames());
    }
    if (!r.ok()) {
      malformed.increment();
      String e = r.error();
      lastMalformed = e.length() > MALFORMED_SAMPLE_MAX ? e.substring(0, MALFORMED_SAMPLE_MAX) : e;
    }
    if (r.packs().isEmpty()) {
      return;
    }
    List<Outgoing> requests = null;
    synchronized (this) {
      long now = clock.getAsLong();
      rollIfDueLocked(now);
      for (Pack p : r.packs()) {
        apply(p, from, now);
      }
      if (!outbox.isEmpty()) {
        requests = new ArrayList<>(outbox);
        outbox.clear();
      }
    }
    if (requests != null) {
      for (Outgoing q : requests) {
        sendRequest(q.request(), q.to());
      }
    }
  }

  private void request(String paramIdAndExtra, InetSocketAddress to) {
    int comma = paramIdAndExtra.indexOf(',');
    outbox.add(new Outgoing(paramIdAndExtra.substring(0, comma) + "," + requestIds.incrementAndGet()
        + paramIdAndExtra.substring(comma), to));
  }

  private void apply(Pack p, InetSocketAddress from, long now) {
    if (p instanceof TxStartPack s) {
      Pending t = pendingFor(s.header().txid(), now);
      t.start = s;
    } else if (p instanceof TxEndPack e) {
      end(e, from, now);
    } else if (p instanceof TxStartEndPack se) {
      startEnd(se, from, now);
    } else if (p instanceof TxSqlPack x) {
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
    } else if (p instanceof RelayPack x) {
      relay(x, from, now);
    } else if (p instanceof ActiveStatsPack x) {
      AppState a = bySourceOrCount(from, now);
      if (a != null) {
        a.bands = x.bands().clone();
        a.bandsAt = now;
        if (a.activeTotal() == 0) {
          a.actives = List.of();
        }
      }
    } else if (p instanceof TxParamPack x) {
      param(x, from, now);
    } else if (p instanceof ActiveStackPack x) {
      activeStack(x, from, now);
    } else if (p instanceof DbConnPoolPack x) {
      AppState a = bySourceOrCount(from, now);
      if (a != null) {
        a.dbPool = cut(x.data());
      }
    }
    // UnknownPack: already counted by the decoder's unknownFrames
  }

  private String cut(String s) {
    if (s == null || s.length() <= settings.textMax) {
      return s;
    }
    int end = settings.textMax;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }

  private static final class Pending {
    final long firstSeen;
    TxStartPack start;
    ArrayList<TxStep> steps;
    int dropped;

    Pending(long firstSeen) {
      this.firstSeen = firstSeen;
    }
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
        it.next();
        it.remove();
        pendingEvicted.increment();
      }
      t = new Pending(now);
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
    if (hot != null && hotTxid == txid) {
      Pending t = hot;
      hot = null;
      return t;
    }
    return pending.isEmpty() ? null : pending.remove(txid);
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
    t.steps.add(step);
  }

  private void end(TxEndPack e, InetSocketAddress from, long now) {
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
      b.name = cut(e.uri()); // the final name: an adapter may rename after the start (route templates)
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
    complete(b, t, h.pid(), from, now);
  }

  private void startEnd(TxStartEndPack se, InetSocketAddress from, long now) {
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
    complete(b, t, h.pid(), from, now);
  }

  private void fillStart(TxRecord.Builder b, TxHeader h, String host, String uri, String ip, String ua,
      String referer) {
    b.start = h.time();
    b.name = cut(uri);
    b.host = cut(host);
    b.clientIp = cut(ip);
    b.userAgent = cut(ua);
    b.referer = cut(referer);
  }

  private void complete(TxRecord.Builder b, Pending t, int pid, InetSocketAddress from, long now) {
    AppState app = appForPid(pid, from, now);
    b.pid = pid;
    b.appId = app.id;
    b.app = app.name;
    b.receivedAt = now;
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
    if (!app.stacks.isEmpty()) { // a boxed lookup per transaction, for maps that are nearly always empty
      b.activeStack = app.stacks.remove(b.txid);
    }
    if (!app.stackRequested.isEmpty()) {
      app.stackRequested.remove(b.txid);
    }
    app.forgetActive(b.txid);
    record(b.build(), app);
  }

  /** Counts a completed transaction everywhere it shows. */
  void record(TxRecord tx, AppState app) {
    completed++;
    app.aggregate.add(tx.name, tx.elapsed, tx.error);
    all.add(tx.name, tx.elapsed, tx.error);
    recent.addLast(tx);
    recentBytes += tx.estimatedBytes;
    long recentBudget = settings.profileMemoryBytes * 3 / 4;
    while (recent.size() > settings.recentMax || (recentBytes > recentBudget && recent.size() > 1)) {
      recentBytes -= recent.removeFirst().estimatedBytes;
    }
    if (settings.keptMax > 0 && (tx.error || tx.elapsed >= settings.slowMs)) {
      kept.addLast(tx);
      keptBytes += tx.estimatedBytes;
      long keptBudget = settings.profileMemoryBytes - recentBudget;
      while (kept.size() > settings.keptMax || (keptBytes > keptBudget && kept.size() > 1)) {
        keptBytes -= kept.removeFirst().estimatedBytes;
      }
    }
    hitEnd[hitNext] = tx.end;
    hitElapsed[hitNext] = tx.elapsed;
    hitApp[hitNext] = tx.error ? -app.id : app.id;
    hitNext = (hitNext + 1) % hitEnd.length;
    hitSize = Math.min(hitSize + 1, hitEnd.length);
  }

  // ---------------------------------------------------------------- applications

  private Aggregate newAggregate() {
    return new Aggregate(settings.namesMax, settings.historyIntervals, settings.nameWindowIntervals);
  }

  private AppState appForPid(int pid, InetSocketAddress from, long now) {
    AppState a = lastApp;
    if (a == null || a.pid != pid || lastAppVersion != byPidVersion) {
      a = byPid.get(pid);
    }
    if (a == null) {
      a = newApp(pid, settings.defaultAppName, true, now);
      if (from != null) {
        // its configuration names it now rather than at its first counter pack, seconds later
        request(CONFIGURE_GET + ",", from);
      }
    }
    heard(a, from, now);
    if (from != null && settings.offerStartEnd && now - a.startEndOfferedAt >= StartEndOffer.REPEAT_MS) {
      a.startEndOfferedAt = now;
      request(StartEndOffer.PARAM_ID + "," + StartEndOffer.EXTRA, from);
    }
    lastApp = a;
    lastAppVersion = byPidVersion;
    return a;
  }

  private AppState newApp(int pid, String name, boolean provisional, long now) {
    while (apps.size() >= settings.appsMax) {
      evictLeastRecentlyHeard();
    }
    AppState a = new AppState(nextAppId++, pid, name, provisional, now, newAggregate());
    apps.put(a.id, a);
    byPid.put(pid, a);
    byPidVersion++;
    return a;
  }

  private void evictLeastRecentlyHeard() {
    AppState oldest = null;
    for (AppState a : apps.values()) {
      if (oldest == null || a.lastHeard < oldest.lastHeard) {
        oldest = a;
      }
    }
    apps.remove(oldest.id);
    byPid.remove(oldest.pid, oldest);
    byPidVersion++;
    if (oldest.source != null) {
      bySource.remove(oldest.source, oldest);
    }
    appsEvicted.increment();
  }

  private void heard(AppState a, InetSocketAddress from, long now) {
    a.lastHeard = now;
    if (from != null && from != a.source && !from.equals(a.source)) {
      if (a.source != null) {
        bySource.remove(a.source, a);
      }
      a.source = from;
      bySource.put(from, a);
    }
  }

  private AppState bySourceOrCount(InetSocketAddress from, long now) {
    AppState a = from == null ? null : bySource.get(from);
    if (a == null) {
      unattributed.increment();
      return null;
    }
    a.lastHeard = now;
    return a;
  }

  private void relay(RelayPack x, InetSocketAddress from, long now) {
    TagCountPack t = x.tagCount();
    if (t == null || !COUNTER_CATEGORY.equals(t.category())) {
      relayOther.increment();
      return;
    }
    Map<String, Object> tags = t.tags();
    String name = text(tags.get("app"));
    int pid = parsePid(tags.get("pid"));
    AppState a;
    if (pid == 0) {
      a = bySourceOrCount(from, now);
      if (a == null) {
        return;
      }
    } else {
      a = byPid.get(pid);
      if (a == null) {
        a = newApp(pid, name.isEmpty() ? settings.defaultAppName : name, name.isEmpty(), now);
      } else if (!name.isEmpty() && !name.equals(a.name)) {
        if (a.provisional) {
          renameApp(a, name);
        } else {
          // a process reconfigured to another app_name: a new (pid, app) key from here on
          a = newApp(pid, name, false, now);
        }
      }
    }
    heard(a, from, now);
    String host = text(tags.get("host"));
    if (!host.isEmpty()) {
      a.host = cut(host);
    }
    String process = text(tags.get("process"));
    if (!process.isEmpty()) {
      a.process = cut(process);
    }
    a.counters = t.fields();
    a.countersAt = now;
    long gcCount = (long) Math.max(0, number(t.fields().get("gc_count")));
    long gcTime = (long) Math.max(0, number(t.fields().get("gc_time_ms")));
    a.gcCountInterval += gcCount;
    a.gcTimeInterval += gcTime;
    a.gcCountTotal += gcCount;
    a.gcTimeTotal += gcTime;
  }

  private void renameApp(AppState a, String name) {
    a.name = name;
    a.provisional = false;
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }

  private static double number(Object o) {
    return o instanceof Number ? ((Number) o).doubleValue() : 0;
  }

  private static int parsePid(Object o) {
    if (o instanceof Number) {
      return ((Number) o).intValue();
    }
    try {
      return o == null ? 0 : Integer.parseInt(o.toString().trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---------------------------------------------------------------- back channel

  private void param(TxParamPack x, InetSocketAddress from, long now) {
    AppState a = bySourceOrCount(from, now);
    if (a == null) {
      return;
    }
    if (CONFIGURE_GET.equals(x.paramId())) {
      configuration(a, x.data());
    } else if (ACTIVE_LIST.equals(x.paramId())) {
      activeList(a, x.data(), now);
    }
  }

  /** The answer to "4": the application's options as key=value lines (the license left out by the app). */
  private void configuration(AppState a, String data) {
    for (String line : data.split("\n", 1000)) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      if (key.equals("app_name") && !value.isEmpty() && a.provisional) {
        renameApp(a, cut(value));
      } else if (key.equals("app_process_name") && !value.isEmpty() && a.process.isEmpty()) {
        a.process = cut(value);
      }
    }
  }

  private void activeList(AppState a, String data, long now) {
    List<ActiveTx> list = new ArrayList<>();
    for (String line : data.split("\n", ACTIVE_LIST_MAX + 1)) {
      ActiveTx t = parseActive(line, now);
      if (t == null) {
        continue;
      }
      list.add(t);
      if (list.size() >= ACTIVE_LIST_MAX) {
        break;
      }
      if (t.runningMs() >= settings.stackAfterMs && !a.stacks.containsKey(t.txid())
          && a.stackRequested.put(t.txid(), Boolean.TRUE) == null) {
        request(ACTIVE_STACK + "," + t.txid(), a.source);
      }
    }
    list.sort((p, q) -> Long.compare(q.runningMs(), p.runningMs()));
    a.actives = List.copyOf(list);
  }

  /** "txid runningMs threadId METHOD name" (the name may hold spaces), or null when malformed. */
  private ActiveTx parseActive(String line, long now) {
    String[] f = line.trim().split(" ", 5);
    if (f.length < 5) {
      return null;
    }
    try {
      return new ActiveTx(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), cut(f[3]), cut(f[4]),
          now);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** "threadId, txid, stack" (the reader's layout of golib). */
  private void activeStack(ActiveStackPack x, InetSocketAddress from, long now) {
    AppState a = bySourceOrCount(from, now);
    if (a == null) {
      return;
    }
    String[] f = x.data().split(", ", 3);
    if (f.length < 3) {
      return;
    }
    try {
      long txid = Long.parseLong(f[1].trim());
      if (txid != 0) {
        a.stacks.put(txid, cut(f[2]));
      }
    } catch (NumberFormatException e) {
      // not a stack answer we asked for: nothing to attach it to
    }
  }

  /**
   * Asks every application heard from recently for its active transactions ("25,id,"); the answers
   * lead to stack requests for the long-running ones.
   */
  public void pollActives() {
    List<InetSocketAddress> targets = new ArrayList<>();
    synchronized (this) {
      long now = clock.getAsLong();
      long recently = now - 3L * Math.max(settings.intervalMs, 5000);
      for (AppState a : apps.values()) {
        if (a.source != null && a.lastHeard >= recently) {
          targets.add(a.source);
        }
      }
    }
    for (InetSocketAddress to : targets) {
      sendRequest(ACTIVE_LIST + "," + requestIds.incrementAndGet() + ",", to);
    }
  }

  private void sendRequest(String request, InetSocketAddress to) {
    backChannelRequests.increment();
    backChannel.send(request, to);
  }

  // ---------------------------------------------------------------- intervals

  private long floor(long t) {
    return t - Math.floorMod(t, (long) settings.intervalMs);
  }

  /** Closes the open interval when the clock has passed its end; also expires old pending transactions. */
  public synchronized void rollIfDue() {
    rollIfDueLocked(clock.getAsLong());
  }

  private void rollIfDueLocked(long now) {
    long current = floor(now);
    if (current <= intervalStart) {
      return;
    }
    long gaps = (current - intervalStart) / settings.intervalMs;
    long first = gaps > settings.historyIntervals ? current - (long) settings.historyIntervals * settings.intervalMs
        : intervalStart;
    for (long s = first; s < current; s += settings.intervalMs) {
      closeInterval(s, now);
    }
    intervalStart = current;
    expirePending(now);
  }

  private void closeInterval(long start, long now) {
    int d = settings.intervalMs;
    long fresh = now - 3L * Math.max(d, 5000);
    int[] allBands = new int[0];
    double cpu = Double.NaN;
    long heapUsed = -1;
    long heapMax = -1;
    long threads = -1;
    long gcCount = 0;
    long gcTime = 0;
    for (AppState a : apps.values()) {
      boolean live = a.countersAt >= fresh;
      int[] bands = a.bandsAt >= fresh ? a.bands : new int[0];
      double appCpu = live ? a.counter("cpu_pct", Double.NaN) : Double.NaN;
      long appHeap = live ? (long) a.counter("heap_used", -1) : -1;
      long appHeapMax = live ? (long) a.counter("heap_max", -1) : -1;
      long appThreads = live ? (long) a.counter("threads", -1) : -1;
      a.aggregate.close(IntervalSummary.of(start, d, a.aggregate.current, bands, appCpu, appHeap, appHeapMax,
          a.gcCountInterval, a.gcTimeInterval, appThreads));
      allBands = addBands(allBands, bands);
      cpu = plus(cpu, appCpu);
      heapUsed = plus(heapUsed, appHeap);
      heapMax = plus(heapMax, appHeapMax);
      threads = plus(threads, appThreads);
      gcCount += a.gcCountInterval;
      gcTime += a.gcTimeInterval;
      a.gcCountInterval = 0;
      a.gcTimeInterval = 0;
    }
    all.close(IntervalSummary.of(start, d, all.current, allBands, cpu, heapUsed, heapMax, gcCount, gcTime,
        threads));
  }

  private static int[] addBands(int[] sum, int[] bands) {
    int[] out = Arrays.copyOf(sum, Math.max(sum.length, bands.length));
    for (int i = 0; i < bands.length; i++) {
      out[i] += bands[i];
    }
    return out;
  }

  private static double plus(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : a + b;
  }

  private static long plus(long a, long b) {
    return a < 0 ? b : b < 0 ? a : a + b;
  }

  private void expirePending(long now) {
    long limit = now - settings.pendingTimeoutMs;
    spillHot();
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      if (it.next().firstSeen >= limit) {
        break;
      }
      it.remove();
      pendingExpired.increment();
    }
  }

  // ---------------------------------------------------------------- queries (copies, for the API)

  /** A consistent copy of one application's (or, for id 0, all applications') state. */
  public record AppView(int id, int pid, String name, boolean provisional, String host, String process,
      String source, long firstSeen, long lastHeard, Map<String, Object> counters, long countersAt, int[] bands,
      List<ActiveTx> actives, Map<Long, String> stacks, String dbPool, long count, long errors, long elapsedSum,
      long gcCountTotal, long gcTimeTotal, IntervalSummary last) {
  }

  public synchronized List<AppView> apps() {
    List<AppView> out = new ArrayList<>();
    for (AppState a : apps.values()) {
      out.add(view(a));
    }
    return out;
  }

  /** Every known application's current name by id (a transaction keeps the id it was counted under). */
  public synchronized Map<Integer, String> appNames() {
    Map<Integer, String> names = new HashMap<>();
    for (AppState a : apps.values()) {
      names.put(a.id, a.name);
    }
    return names;
  }

  /** The application with this id, or null. */
  public synchronized AppView app(int id) {
    AppState a = apps.get(id);
    return a == null ? null : view(a);
  }

  private AppView view(AppState a) {
    Stats t = a.aggregate.total;
    return new AppView(a.id, a.pid, a.name, a.provisional, a.host, a.process,
        a.source == null ? "" : a.source.getAddress().getHostAddress() + ":" + a.source.getPort(), a.firstSeen,
        a.lastHeard, a.counters, a.countersAt, a.bands.clone(), a.actives, Map.copyOf(a.stacks), a.dbPool,
        t.count, t.errors, t.sum, a.gcCountTotal, a.gcTimeTotal, a.aggregate.last());
  }

  private Aggregate aggregate(int appId) {
    if (appId == 0) {
      return all;
    }
    AppState a = apps.get(appId);
    return a == null ? null : a.aggregate;
  }

  /** Closed intervals since {@code since} of one application (0: all), or null for an unknown id. */
  public synchronized List<IntervalSummary> series(int appId, long since) {
    Aggregate g = aggregate(appId);
    return g == null ? null : g.historySince(since);
  }

  /** The last closed interval of one application (0: all), or null when none closed yet. */
  public synchronized IntervalSummary lastInterval(int appId) {
    Aggregate g = aggregate(appId);
    return g == null ? null : g.last();
  }

  /** Statistics of the open interval so far (a copy). */
  public synchronized Stats openInterval(int appId) {
    Aggregate g = aggregate(appId);
    Stats s = new Stats();
    if (g != null) {
      s.addAll(g.current);
    }
    return s;
  }

  /** Per-name statistics over the last {@code intervals} intervals (&le; 0: since start). */
  public synchronized Map<String, Stats> names(int appId, int intervals) {
    Aggregate g = aggregate(appId);
    return g == null ? null : g.names(intervals);
  }

  /** Completed transactions since the agent started. */
  public synchronized long completed() {
    return completed;
  }

  public synchronized int pendingCount() {
    return pending.size() + (hot != null ? 1 : 0);
  }

  public synchronized int keptCount() {
    return kept.size();
  }

  public synchronized int recentCount() {
    return recent.size();
  }

  /**
   * The newest transactions, newest first: from the recent ring, or with {@code slowOrError} from
   * the ring that keeps slow and failed ones longer; {@code appId} 0 for all.
   */
  public synchronized List<TxRecord> transactions(int appId, boolean slowOrError, int limit) {
    List<TxRecord> out = new ArrayList<>();
    for (Iterator<TxRecord> it = (slowOrError ? kept : recent).descendingIterator(); it.hasNext()
        && out.size() < limit; ) {
      TxRecord t = it.next();
      if (appId == 0 || t.appId == appId) {
        out.add(t);
      }
    }
    return out;
  }

  /** A kept transaction by txid, or null when it is not (or no longer) kept. */
  public synchronized TxRecord transaction(long txid) {
    TxRecord t = find(recent, txid);
    return t != null ? t : find(kept, txid);
  }

  /** Kept transactions of the same multi-transaction chain ({@code mtid}), oldest first. */
  public synchronized List<TxRecord> chain(long mtid, long exceptTxid) {
    if (mtid == 0) {
      return List.of();
    }
    Map<Long, TxRecord> found = new LinkedHashMap<>();
    for (ArrayDeque<TxRecord> ring : List.of(kept, recent)) {
      for (TxRecord t : ring) {
        if (t.mtid == mtid && t.txid != exceptTxid) {
          found.putIfAbsent(t.txid, t);
        }
      }
    }
    List<TxRecord> out = new ArrayList<>(found.values());
    out.sort((a, b) -> Long.compare(a.start, b.start));
    return out;
  }

  private static TxRecord find(ArrayDeque<TxRecord> ring, long txid) {
    for (Iterator<TxRecord> it = ring.descendingIterator(); it.hasNext(); ) {
      TxRecord t = it.next();
      if (t.txid == txid) {
        return t;
      }
    }
    return null;
  }

  /** One point of the hitmap: a completed transaction's end time and elapsed. */
  public record HitPoint(long end, int elapsed, int appId, boolean error) {
  }

  /** Hitmap points that ended at or after {@code since}, oldest first; {@code appId} 0 for all. */
  public synchronized List<HitPoint> hitmap(int appId, long since, int limit) {
    List<HitPoint> out = new ArrayList<>();
    for (int k = 0; k < hitSize && out.size() < limit; k++) {
      int i = Math.floorMod(hitNext - 1 - k, hitEnd.length);
      if (hitEnd[i] < since) {
        continue;
      }
      int app = Math.abs(hitApp[i]);
      if (appId == 0 || app == appId) {
        out.add(new HitPoint(hitEnd[i], hitElapsed[i], app, hitApp[i] < 0));
      }
    }
    Collections.reverse(out);
    return out;
  }
}
