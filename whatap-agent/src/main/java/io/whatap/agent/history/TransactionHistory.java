package io.whatap.agent.history;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.settings.AgentSettings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Completed transactions kept for the API: the recent ring (agent_recent_max), the ring of slow and
 * failed ones kept longer (agent_kept_max, from agent_slow_ms), both also bounded together by
 * agent_profile_memory_mb (three quarters for the recent ring), and the hitmap's points
 * (agent_hitmap_max, three parallel arrays rather than an object per point). Guarded by the state
 * lock; readers get copies.
 */
public final class TransactionHistory {
  /** One point of the hitmap: a completed transaction's end time and elapsed. */
  public record HitPoint(long end, int elapsed, int appId, boolean error, int count) {
  }

  private final AgentSettings settings;
  private final ArrayDeque<TxRecord> recent = new ArrayDeque<>();
  private final ArrayDeque<TxRecord> kept = new ArrayDeque<>();
  private long recentBytes;
  private long keptBytes;
  private final long[] hitEnd;
  private final int[] hitElapsed;
  /** The application's id, negative for a failed transaction. */
  private final int[] hitApp;
  /** How many transactions the point stands for: 1 for a completed one, more for a cell of a process's hitmap. */
  private final int[] hitCount;
  private int hitNext;
  private int hitSize;
  private long completed;

  public TransactionHistory(AgentSettings settings) {
    this.settings = settings;
    this.hitEnd = new long[settings.hitmapMax];
    this.hitElapsed = new int[settings.hitmapMax];
    this.hitApp = new int[settings.hitmapMax];
    this.hitCount = new int[settings.hitmapMax];
  }

  public void add(TxRecord tx) {
    completed++;
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
    hit(tx.end, tx.elapsed, tx.appId, tx.error, 1);
  }

  /** One hitmap point standing for {@code count} transactions. */
  public void hit(long end, int elapsed, int appId, boolean error, int count) {
    hitEnd[hitNext] = end;
    hitElapsed[hitNext] = elapsed;
    hitApp[hitNext] = error ? -appId : appId;
    hitCount[hitNext] = count;
    hitNext = (hitNext + 1) % hitEnd.length;
    hitSize = Math.min(hitSize + 1, hitEnd.length);
  }

  /** Completed transactions since the agent started. */
  public long completed() {
    return completed;
  }

  public int keptCount() {
    return kept.size();
  }

  public int recentCount() {
    return recent.size();
  }

  /** The newest transactions, newest first, from one ring; {@code appId} 0 for all. */
  public List<TxRecord> transactions(int appId, boolean slowOrError, int limit) {
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

  /** A kept transaction by txid, or null. */
  public TxRecord transaction(long txid) {
    TxRecord t = find(recent, txid);
    return t != null ? t : find(kept, txid);
  }

  /** Kept transactions of the same multi-transaction chain ({@code mtid}), oldest first. */
  public List<TxRecord> chain(long mtid, long exceptTxid) {
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

  /** Hitmap points that ended at or after {@code since}, oldest first; {@code appId} 0 for all. */
  public List<HitPoint> hitmap(int appId, long since, int limit) {
    List<HitPoint> out = new ArrayList<>();
    for (int k = 0; k < hitSize && out.size() < limit; k++) {
      int i = Math.floorMod(hitNext - 1 - k, hitEnd.length);
      if (hitEnd[i] < since) {
        continue;
      }
      int app = Math.abs(hitApp[i]);
      if (appId == 0 || app == appId) {
        out.add(new HitPoint(hitEnd[i], hitElapsed[i], app, hitApp[i] < 0, hitCount[i]));
      }
    }
    Collections.reverse(out);
    return out;
  }
}
