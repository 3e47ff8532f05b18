package io.whatap.agent;

import io.whatap.agent.apps.AppRegistry;
import io.whatap.agent.assembly.TxAssembler;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.backchannel.BackChannelClient;
import io.whatap.agent.history.TransactionHistory;
import io.whatap.agent.ingest.DatagramIngest;
import io.whatap.agent.intervals.Intervals;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.store.Store;
import io.whatap.agent.store.StoreWriter;
import java.util.logging.Level;
import java.util.logging.Logger;
import io.whatap.wire.TextMemo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Everything the agent knows, put together: the jobs it is split into (see whatap-agent/RATIONALE.md)
 * wired to one state lock, with the entry points that feed it (one datagram at a time, from the
 * receiver thread; the timer's interval closing and active polling) on top of the read side
 * ({@link AgentQuery}) that the HTTP API uses. Every structure is bounded by a setting.
 */
public final class AgentState extends AgentQuery {
  private final LongSupplier clock;
  private final Object lock;
  private final DatagramIngest ingest;
  private final AppRegistry registry;
  private final BackChannelClient backChannel;
  private final Intervals intervals;
  private final StoreWriter store;
  private static final Logger LOG = Logger.getLogger(AgentState.class.getName());

  /** The jobs, built before the read side is given them. */
  private record Parts(AgentSettings settings, LongSupplier clock, Object lock, DatagramIngest ingest,
      TxAssembler assembler, AppRegistry registry, BackChannelClient backChannel, Intervals intervals,
      TransactionHistory history, StoreWriter store, String storeError) {
    static Parts of(AgentSettings settings, LongSupplier clock) {
      long now = clock.getAsLong();
      Object lock = new Object();
      TxAssembler assembler = new TxAssembler(settings, now);
      Intervals intervals = new Intervals(settings, now);
      AppRegistry registry = new AppRegistry(settings, intervals);
      BackChannelClient backChannel = new BackChannelClient(settings, registry);
      TransactionHistory history = new TransactionHistory(settings);
      String[] storeError = new String[1];
      StoreWriter store = openStore(settings, storeError);
      if (store != null) {
        intervals.listener(store);
      }
      DatagramIngest ingest = new DatagramIngest(settings, clock, lock, assembler, registry, backChannel, intervals,
          history, store);
      return new Parts(settings, clock, lock, ingest, assembler, registry, backChannel, intervals, history, store,
          storeError[0]);
    }

    /** The store's writer (not started), or null when the store is off or cannot be opened (logged: the agent goes on in memory). */
    private static StoreWriter openStore(AgentSettings settings, String[] error) {
      if (!settings.storeEnabled) {
        return null;
      }
      try {
        return new StoreWriter(new Store(settings.storeDir, settings.intervalMs,
            settings.storeRetentionDays * 86_400_000L, settings.storeMaxBytes), settings);
      } catch (Exception | LinkageError e) {
        error[0] = "cannot open the store in " + settings.storeDir + " (agent_store_dir): " + e;
        LOG.log(Level.WARNING, error[0] + "; history is kept in memory only", e);
        return null;
      }
    }
  }

  public AgentState(AgentSettings settings, LongSupplier clock) {
    this(Parts.of(settings, clock));
  }

  private AgentState(Parts p) {
    super(p.settings, p.clock, p.lock, p.ingest, p.assembler, p.registry, p.backChannel, p.intervals, p.history,
        p.store, p.storeError);
    this.store = p.store;
    this.clock = p.clock;
    this.lock = p.lock;
    this.ingest = p.ingest;
    this.registry = p.registry;
    this.backChannel = p.backChannel;
    this.intervals = p.intervals;
  }

  /** Starts the store's writer (when the store is on). */
  public void startStore() {
    if (store != null) {
      store.start();
    }
  }

  /** Writes what the store's writer has queued and closes the store. */
  public void closeStore() {
    if (store != null) {
      store.close();
    }
  }

  /** Where back-channel requests go (the receiver's socket); until set, nowhere. */
  void backChannel(BackChannelClient.Transport transport) {
    backChannel.transport(transport);
  }

  DatagramIngest ingest() {
    return ingest;
  }

  BackChannelClient backChannelClient() {
    return backChannel;
  }

  /**
   * Tells {@code listener} of every completed transaction (see {@link DatagramIngest#onCompleted});
   * before the first datagram.
   */
  public void onCompleted(Consumer<TxRecord> listener) {
    ingest.onCompleted(listener);
  }

  /** As {@link #accept(byte[], int, int, InetSocketAddress, TextMemo)} without a memo. */
  public void accept(byte[] buf, int off, int len, InetSocketAddress from) {
    ingest.accept(buf, off, len, from, null);
  }

  /**
   * Applies one datagram (see {@link DatagramIngest#accept}); from one thread at a time, the one
   * that owns the pending transactions (the receiver's).
   */
  public void accept(byte[] buf, int off, int len, InetSocketAddress from, TextMemo memo) {
    ingest.accept(buf, off, len, from, memo);
  }

  /**
   * What the receiver does at an interval boundary, now: closes due intervals and expires old
   * pending transactions. From the thread that calls {@link #accept} (tests, benchmarks); the
   * timer uses {@link #closeDueIntervals()}.
   */
  public void rollIfDue() {
    ingest.rollIfDue();
  }

  /**
   * Closes the intervals that ended while no datagram came (from any thread: the timer). Pending
   * transactions belong to the receiver, which expires them at its next datagram.
   */
  public void closeDueIntervals() {
    long now = clock.getAsLong();
    synchronized (lock) {
      intervals.rollIfDue(now, registry.all());
    }
  }

  /**
   * Asks every application heard from recently for its active transactions ("25,id,"); the answers
   * lead to stack requests for the long-running ones.
   */
  public void pollActives() {
    List<InetSocketAddress> targets;
    synchronized (lock) {
      targets = backChannel.activeListTargets(clock.getAsLong());
    }
    backChannel.askActiveLists(targets);
  }
}
