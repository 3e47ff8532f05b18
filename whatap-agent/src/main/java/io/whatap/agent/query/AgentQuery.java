package io.whatap.agent.query;

import io.whatap.agent.apps.AppRegistry;
import io.whatap.agent.apps.AppState;
import io.whatap.agent.assembly.TxAssembler;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.backchannel.BackChannelClient;
import io.whatap.agent.history.TransactionHistory;
import io.whatap.agent.ingest.DatagramIngest;
import io.whatap.agent.intervals.Aggregate;
import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.intervals.Intervals;
import io.whatap.agent.intervals.NameBudget;
import io.whatap.agent.intervals.Stats;
import io.whatap.agent.settings.AgentSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The read side, behind the HTTP API and /metrics: copies out of the state, never a change to it.
 * What is guarded by the state lock is copied with it held, briefly (the receiver waits for no
 * rendering); the meters are {@link LongAdder}s and the pending count a published value, read
 * without it. Immutable parts (transaction records, interval summaries) are shared, not copied.
 */
public class AgentQuery {
  private final AgentSettings settings;
  private final LongSupplier clock;
  private final Object lock;
  private final DatagramIngest ingest;
  private final TxAssembler assembler;
  private final AppRegistry registry;
  private final Intervals intervals;
  private final TransactionHistory history;
  private final BackChannelClient backChannel;

  // the meters, by the names the API and the tests know them
  public final LongAdder datagrams;
  public final LongAdder bytes;
  public final LongAdder malformed;
  public final LongAdder oversized;
  public final LongAdder unknownFrames;
  public final LongAdder frames;
  public final LongAdder receiveErrors;
  public final LongAdder unattributed;
  public final LongAdder relayOther;
  public final LongAdder appsEvicted;
  public final LongAdder pendingEvicted;
  public final LongAdder pendingExpired;
  public final LongAdder startsMissing;
  public final LongAdder stepsDropped;
  public final LongAdder backChannelRequests;
  public final LongAdder backChannelSendErrors;
  public final LongAdder unsigned;
  public final LongAdder pendingEvictedForMemory;
  public final LongAdder stepsDroppedForMemory;
  public final LongAdder namesFolded;
  public final LongAdder bandsDropped;
  public final LongAdder counterFieldsDropped;
  public final LongAdder activeEntriesDropped;
  private final NameBudget names;

  protected AgentQuery(AgentSettings settings, LongSupplier clock, Object lock, DatagramIngest ingest,
      TxAssembler assembler, AppRegistry registry, BackChannelClient backChannel, Intervals intervals,
      TransactionHistory history) {
    this.settings = settings;
    this.clock = clock;
    this.lock = lock;
    this.ingest = ingest;
    this.assembler = assembler;
    this.registry = registry;
    this.intervals = intervals;
    this.history = history;
    this.backChannel = backChannel;
    datagrams = ingest.datagrams;
    bytes = ingest.bytes;
    malformed = ingest.malformed;
    oversized = ingest.oversized;
    unknownFrames = ingest.unknownFrames;
    frames = ingest.frames;
    receiveErrors = ingest.receiveErrors;
    unattributed = registry.unattributed;
    relayOther = registry.relayOther;
    appsEvicted = registry.appsEvicted;
    pendingEvicted = assembler.pendingEvicted;
    pendingExpired = assembler.pendingExpired;
    startsMissing = assembler.startsMissing;
    stepsDropped = assembler.stepsDropped;
    backChannelRequests = backChannel.requests;
    backChannelSendErrors = backChannel.sendErrors;
    unsigned = ingest.unsigned;
    pendingEvictedForMemory = assembler.pendingEvictedForMemory;
    stepsDroppedForMemory = assembler.stepsDroppedForMemory;
    names = intervals.names();
    namesFolded = names.namesFolded;
    bandsDropped = registry.bandsDropped;
    counterFieldsDropped = registry.counterFieldsDropped;
    activeEntriesDropped = backChannel.activeEntriesDropped;
  }

  /** The estimated bytes of pending transactions (as of the receiver's last datagram). */
  public long pendingBytes() {
    return assembler.pendingBytes();
  }

  /** The estimated bytes of per-name statistics, all applications together. */
  public long namesBytes() {
    return names.usedBytes();
  }

  public AgentSettings settings() {
    return settings;
  }

  public long now() {
    return clock.getAsLong();
  }

  /** Why the last malformed datagram was rejected (for diagnostics), or "". */
  public String lastMalformed() {
    return ingest.lastMalformed();
  }

  public List<AppView> apps() {
    synchronized (lock) {
      List<AppView> out = new ArrayList<>();
      for (AppState a : registry.all()) {
        out.add(view(a));
      }
      return out;
    }
  }

  /** Every known application's current name by id (a transaction keeps the id it was counted under). */
  public Map<Integer, String> appNames() {
    synchronized (lock) {
      Map<Integer, String> names = new HashMap<>();
      for (AppState a : registry.all()) {
        names.put(a.id, a.name);
      }
      return names;
    }
  }

  /** The application with this id, or null. */
  /** A thread dump of one application: its text, and when it arrived (agent clock). */
  public record ThreadDump(String text, long at) {
  }

  /**
   * Asks application {@code id} for a thread dump through the back channel; false when the agent
   * knows no address to ask (no datagram heard from it since the agent started) or no such app.
   */
  public boolean askThreadDump(int id) {
    List<BackChannelClient.Request> queued;
    synchronized (lock) {
      AppState a = registry.byId(id);
      if (a == null || !backChannel.askThreadDump(a)) {
        return false;
      }
      queued = backChannel.takeQueued();
    }
    if (queued != null) {
      backChannel.send(queued);
    }
    return true;
  }

  /** The last thread dump application {@code id} answered, or null. */
  public ThreadDump threadDump(int id) {
    synchronized (lock) {
      AppState a = registry.byId(id);
      return a == null || a.threadDump == null ? null : new ThreadDump(a.threadDump, a.threadDumpAt);
    }
  }

  public AppView app(int id) {
    synchronized (lock) {
      AppState a = registry.byId(id);
      return a == null ? null : view(a);
    }
  }

  private static AppView view(AppState a) {
    Stats t = a.aggregate.total();
    return new AppView(a.id, a.pid, a.name, a.provisional, a.host, a.process,
        a.source == null ? "" : a.source.getAddress().getHostAddress() + ":" + a.source.getPort(), a.firstSeen,
        a.lastHeard, a.counters, a.countersAt, a.bands.clone(), a.actives, Map.copyOf(a.stacks), a.dbPool,
        t.count, t.errors, t.sum, a.gcCountTotal, a.gcTimeTotal, a.aggregate.last());
  }

  private Aggregate aggregate(int appId) {
    if (appId == 0) {
      return intervals.total();
    }
    AppState a = registry.byId(appId);
    return a == null ? null : a.aggregate;
  }

  /** Closed intervals since {@code since} of one application (0: all), or null for an unknown id. */
  public List<IntervalSummary> series(int appId, long since) {
    synchronized (lock) {
      Aggregate g = aggregate(appId);
      return g == null ? null : g.historySince(since);
    }
  }

  /** The last closed interval of one application (0: all), or null when none closed yet. */
  public IntervalSummary lastInterval(int appId) {
    synchronized (lock) {
      Aggregate g = aggregate(appId);
      return g == null ? null : g.last();
    }
  }

  /** Statistics of the open interval so far (a copy). */
  public Stats openInterval(int appId) {
    Stats s = new Stats();
    synchronized (lock) {
      Aggregate g = aggregate(appId);
      if (g != null) {
        s.addAll(g.current());
      }
    }
    return s;
  }

  /** Per-name statistics over the last {@code intervals} intervals (&le; 0: since start). */
  public Map<String, Stats> names(int appId, int intervals) {
    synchronized (lock) {
      Aggregate g = aggregate(appId);
      return g == null ? null : g.names(intervals);
    }
  }

  /** Completed transactions since the agent started. */
  public long completed() {
    synchronized (lock) {
      return history.completed();
    }
  }

  /** Transactions started and not yet ended, as of the receiver's last datagram. */
  public int pendingCount() {
    return assembler.pendingCount();
  }

  public int keptCount() {
    synchronized (lock) {
      return history.keptCount();
    }
  }

  public int recentCount() {
    synchronized (lock) {
      return history.recentCount();
    }
  }

  /**
   * The newest transactions, newest first: from the recent ring, or with {@code slowOrError} from
   * the ring that keeps slow and failed ones longer; {@code appId} 0 for all.
   */
  public List<TxRecord> transactions(int appId, boolean slowOrError, int limit) {
    synchronized (lock) {
      return history.transactions(appId, slowOrError, limit);
    }
  }

  /** A kept transaction by txid, or null when it is not (or no longer) kept. */
  public TxRecord transaction(long txid) {
    synchronized (lock) {
      return history.transaction(txid);
    }
  }

  /** Kept transactions of the same multi-transaction chain ({@code mtid}), oldest first. */
  public List<TxRecord> chain(long mtid, long exceptTxid) {
    synchronized (lock) {
      return history.chain(mtid, exceptTxid);
    }
  }

  /** Hitmap points that ended at or after {@code since}, oldest first; {@code appId} 0 for all. */
  public List<TransactionHistory.HitPoint> hitmap(int appId, long since, int limit) {
    synchronized (lock) {
      return history.hitmap(appId, since, limit);
    }
  }
}
