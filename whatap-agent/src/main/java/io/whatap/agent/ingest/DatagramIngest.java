package io.whatap.agent.ingest;

import io.whatap.agent.apps.AppRegistry;
import io.whatap.agent.apps.AppState;
import io.whatap.agent.assembly.TxAssembler;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.backchannel.BackChannelClient;
import io.whatap.agent.history.TransactionHistory;
import io.whatap.agent.intervals.Intervals;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.store.StoreWriter;
import io.whatap.wire.ActiveStackPack;
import io.whatap.wire.ActiveStatsPack;
import io.whatap.wire.DbConnPoolPack;
import io.whatap.wire.DatagramSeal;
import io.whatap.wire.DecodeResult;
import io.whatap.wire.Pack;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.ElapsedBuckets;
import io.whatap.wire.RelayPack;
import io.whatap.wire.StatsHitmapPack;
import io.whatap.wire.StatsRowPack;
import io.whatap.wire.TextMemo;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxParamPack;
import io.whatap.wire.TxStartEndPack;
import io.whatap.wire.TxStartPack;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Datagram to packs to the job that takes each: decoding and the traffic and garbage meters, then
 * two phases. First, without a lock, the transaction packs go to the {@link TxAssembler}, which
 * only the receiver thread touches. Then, with the state lock held, in the order they arrived: each
 * completed transaction is counted under its application (found or registered) and kept, and the
 * other packs go to the application registry or the back-channel client. Back-channel requests
 * decided on the way leave after the lock is released. Never throws for any input.
 */
public final class DatagramIngest {
  private static final int MALFORMED_SAMPLE_MAX = 300;

  public final LongAdder datagrams = new LongAdder();
  public final LongAdder bytes = new LongAdder();
  public final LongAdder malformed = new LongAdder();
  public final LongAdder oversized = new LongAdder();
  public final LongAdder unknownFrames = new LongAdder();
  public final LongAdder frames = new LongAdder();
  public final LongAdder receiveErrors = new LongAdder();
  /** Datagrams without a valid signature while net_udp_secret is set, dropped undecoded. */
  public final LongAdder unsigned = new LongAdder();
  private volatile String lastMalformed = "";
  /** Stats mode: rows and hitmap slots of processes' own statistics applied. */
  public final LongAdder statsRows = new LongAdder();
  public final LongAdder statsHitmapSlots = new LongAdder();


  private final AgentSettings settings;
  private final LongSupplier clock;
  private final Object lock;
  private final TxAssembler assembler;
  private final AppRegistry registry;
  private final BackChannelClient backChannel;
  private final Intervals intervals;
  private final TransactionHistory history;
  /** Checks each datagram's signature when net_udp_secret is set, else null (the receiver thread's own). */
  private final DatagramSeal seal;
  /** One datagram's work for the locked phase: completed transactions and the non-transaction packs. */
  private final ArrayList<Object> work = new ArrayList<>();
  /** Told of every completed transaction (the exporters), or null; set before the receiver starts. */
  private Consumer<TxRecord> onCompleted;

  /** The store's writer, or null when the store is off. */
  private final StoreWriter store;
  /** One datagram's completed transactions for the store, handed over before the lock is released. */
  private final ArrayList<TxRecord> forStore = new ArrayList<>();

  /**
   * @param lock the state lock, guarding {@code registry}, {@code backChannel}'s queue,
   *             {@code intervals} and {@code history}
   */
  public DatagramIngest(AgentSettings settings, LongSupplier clock, Object lock, TxAssembler assembler,
      AppRegistry registry, BackChannelClient backChannel, Intervals intervals, TransactionHistory history,
      StoreWriter store) {
    this.settings = settings;
    this.store = store;
    this.clock = clock;
    this.lock = lock;
    this.assembler = assembler;
    this.registry = registry;
    this.backChannel = backChannel;
    this.intervals = intervals;
    this.history = history;
    this.seal = settings.udpSecret.isEmpty() ? null : new DatagramSeal(settings.udpSecret);
  }

  /**
   * Tells {@code listener} of every completed transaction, on the receiver thread with the state
   * lock held: it must not block (the exporters queue it and return). Set before datagrams arrive.
   */
  public void onCompleted(Consumer<TxRecord> listener) {
    this.onCompleted = listener;
  }

  /** Why the last malformed datagram was rejected (for diagnostics), or "". */
  public String lastMalformed() {
    return lastMalformed;
  }

  /**
   * Applies one datagram, decoding repeated texts through {@code memo} (the receiving thread's own,
   * or null). One thread at a time: the receiver's. An oversized datagram is counted and dropped
   * undecoded; a malformed one is counted once, and the frames before the bad one still apply.
   */
  public void accept(byte[] buf, int off, int len, InetSocketAddress from, TextMemo memo) {
    datagrams.increment();
    bytes.add(len);
    if (len > settings.udpMaxBytes) {
      oversized.increment();
      return;
    }
    if (seal != null) {
      if (!seal.verify(buf, off, len)) {
        unsigned.increment();
        return;
      }
      off += DatagramSeal.FRAME_BYTES;
      len -= DatagramSeal.FRAME_BYTES;
    } else if (DatagramSeal.startsWithSeal(buf, off, len)) {
      off += DatagramSeal.FRAME_BYTES; // signed for an agent with a secret: this one has none to check
      len -= DatagramSeal.FRAME_BYTES;
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
    List<Pack> packs = r.packs();
    if (packs.isEmpty()) {
      return;
    }
    long now = clock.getAsLong();
    List<BackChannelClient.Request> requests;
    try {
      requests = applyPacks(packs, from, now);
    } finally {
      work.clear(); // also after a failure: the next datagram must not apply this one's work
      forStore.clear();
    }
    if (requests != null) {
      backChannel.send(requests);
    }
  }

  private List<BackChannelClient.Request> applyPacks(List<Pack> packs, InetSocketAddress from, long now) {
    assembler.expireIfDue(now);
    for (int i = 0; i < packs.size(); i++) {
      Pack p = packs.get(i);
      if (p instanceof TxStartPack s) {
        assembler.start(s, now);
      } else if (p instanceof TxEndPack e) {
        work.add(assembler.end(e));
      } else if (p instanceof TxStartEndPack se) {
        work.add(assembler.startEnd(se));
      } else if (!assembler.step(p, now)) {
        work.add(p); // UnknownPack too: already counted by the decoder's unknownFrames, ignored below
      }
    }
    assembler.publish();
    synchronized (lock) {
      intervals.rollIfDue(now, registry.all());
      for (int i = 0; i < work.size(); i++) {
        Object o = work.get(i);
        if (o instanceof TxRecord.Builder b) {
          complete(b, from, now);
        } else {
          apply((Pack) o, from, now);
        }
      }
      if (!forStore.isEmpty()) {
        store.transactions(List.copyOf(forStore));
        forStore.clear();
      }
      return backChannel.takeQueued();
    }
  }

  private void apply(Pack p, InetSocketAddress from, long now) {
    if (p instanceof RelayPack x) {
      registry.relay(x, from, now);
    } else if (p instanceof ActiveStatsPack x) {
      registry.activeStats(x, from, now);
    } else if (p instanceof TxParamPack x) {
      backChannel.param(x, from, now);
    } else if (p instanceof ActiveStackPack x) {
      backChannel.activeStack(x, from, now);
    } else if (p instanceof DbConnPoolPack x) {
      registry.dbPool(x, from, now);
    } else if (p instanceof StatsRowPack x) {
      AppState app = appOf(x.pid(), from, now);
      backChannel.offerStats(app, from, now);
      app.aggregate.addCounted(x.name(), x.count(), x.errors(), x.elapsedSum(), x.elapsedMin(), x.elapsedMax(),
          x.histogram());
      intervals.total().addCounted(x.name(), x.count(), x.errors(), x.elapsedSum(), x.elapsedMin(), x.elapsedMax(),
          x.histogram());
      statsRows.increment();
    } else if (p instanceof StatsHitmapPack x) {
      AppState app = appOf(x.pid(), from, now);
      int[] counts = x.counts();
      int[] errors = x.errors();
      long end = x.slotStart() + x.slotMs() / 2;
      for (int i = 0; i < counts.length; i++) {
        int ok = counts[i] - errors[i];
        if (ok > 0) {
          history.hit(end, ElapsedBuckets.representative(i), app.id, false, ok);
        }
        if (errors[i] > 0) {
          history.hit(end, ElapsedBuckets.representative(i), app.id, true, errors[i]);
        }
      }
      statsHitmapSlots.increment();
    }
  }

  /** The application of {@code pid}, registered (provisionally named) when first heard. */
  private AppState appOf(int pid, InetSocketAddress from, long now) {
    AppState app = registry.byPid(pid);
    if (app == null) {
      app = registry.register(pid, settings.defaultAppName, true, now);
      backChannel.askConfiguration(from);
    }
    registry.heard(app, from, now);
    return app;
  }

  /** Counts a completed transaction under its application and keeps it. */
  private void complete(TxRecord.Builder b, InetSocketAddress from, long now) {
    AppState app = appOf(b.pid(), from, now);
    backChannel.offerStartEnd(app, from, now);
    backChannel.offerStats(app, from, now);
    TxRecord tx = b.build(app.id, app.name, app.transactionEnded(b.txid()), now);
    app.aggregate.add(tx.name, tx.elapsed, tx.error);
    intervals.total().add(tx.name, tx.elapsed, tx.error);
    history.add(tx);
    if (onCompleted != null) {
      onCompleted.accept(tx);
    }
    if (store != null) {
      forStore.add(tx);
    }
  }

  /**
   * What the receiver does at an interval boundary, now: closes due intervals and expires old
   * pending transactions. Only from the thread that calls {@link #accept} (the pending
   * transactions are that thread's).
   */
  public void rollIfDue() {
    long now = clock.getAsLong();
    assembler.expire(now);
    synchronized (lock) {
      intervals.rollIfDue(now, registry.all());
    }
  }
}
