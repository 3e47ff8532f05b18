package io.whatap.agent.intervals;

import io.whatap.agent.settings.AgentSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rolling interval clock: which agent_interval_ms interval is open, and the closing of every
 * due one, for each member (an application) and for all of them together. Intervals follow the
 * agent's clock, not the applications'. Guarded by the state lock (the caller holds it): the
 * receiver rolls before it applies a datagram, the timer when no datagram came.
 */
public final class Intervals {
  /** Something that aggregates per interval on its own: one application. */
  public interface Member {
    /**
     * Closes this member's open interval (which started at {@code start}) into its history, resets
     * what it counts per interval, and returns the summary; counters older than {@code freshSince}
     * count as unknown.
     */
    IntervalSummary closeInterval(long start, int durationMs, long freshSince);

    /** The application's id (the API's handle) and name, for the {@link Listener}. */
    int id();

    String name();

    /** The open interval's statistics, which {@link #closeInterval} hands over whole (they are not changed after). */
    Stats openStats();
  }

  /** A closed interval of one application ({@code appId} 0 and {@code app} "": all of them), its statistics whole. */
  public record Closed(int appId, String app, IntervalSummary summary, Stats stats) {
  }

  /**
   * Told of every closed interval, with the state lock held: in order with whatever the receiver
   * hands on under the same lock (the store's writer relies on it). Must not block.
   */
  public interface Listener {
    void closed(long start, int durationMs, List<Closed> closed);
  }

  private Listener listener;

  private final AgentSettings settings;
  private final NameBudget names;
  private final Aggregate total;
  private long openStart;

  public Intervals(AgentSettings settings, long now) {
    this.settings = settings;
    this.names = new NameBudget(settings.namesMemoryBytes);
    this.total = newAggregate();
    this.openStart = floor(now);
  }

  /**
   * An empty aggregate bounded by the settings (names, history, name window), its names sharing
   * agent_names_memory_mb with every other aggregate; {@link Aggregate#release()} when forgotten.
   */
  public Aggregate newAggregate() {
    return new Aggregate(settings.namesMax, settings.historyIntervals, settings.nameWindowIntervals, names);
  }

  /** Who is told of closed intervals (the store's writer), or null. Set before the agent starts. */
  public void listener(Listener listener) {
    this.listener = listener;
  }

  /** The bytes of per-name statistics, shared by all aggregates. */
  public NameBudget names() {
    return names;
  }

  /** All applications together. */
  public Aggregate total() {
    return total;
  }

  private long floor(long t) {
    return t - Math.floorMod(t, (long) settings.intervalMs);
  }

  /**
   * Closes every interval that ended by {@code now} (at most agent_history_intervals of them after a
   * long pause), each for every member and then for the total.
   */
  public void rollIfDue(long now, Iterable<? extends Member> members) {
    long current = floor(now);
    if (current <= openStart) {
      return;
    }
    long gaps = (current - openStart) / settings.intervalMs;
    long first = gaps > settings.historyIntervals ? current - (long) settings.historyIntervals * settings.intervalMs
        : openStart;
    for (long s = first; s < current; s += settings.intervalMs) {
      closeInterval(s, now, members);
    }
    openStart = current;
  }

  private void closeInterval(long start, long now, Iterable<? extends Member> members) {
    int d = settings.intervalMs;
    long fresh = now - settings.liveWindowMs();
    int[] allBands = new int[0];
    double cpu = Double.NaN;
    long heapUsed = -1;
    long heapMax = -1;
    long threads = -1;
    long gcCount = 0;
    long gcTime = 0;
    List<Closed> closed = listener == null ? null : new ArrayList<>();
    for (Member m : members) {
      Stats open = m.openStats();
      IntervalSummary s = m.closeInterval(start, d, fresh);
      if (closed != null) {
        closed.add(new Closed(m.id(), m.name(), s, open));
      }
      allBands = addBands(allBands, s.bands());
      cpu = plus(cpu, s.cpuPct());
      heapUsed = plus(heapUsed, s.heapUsed());
      heapMax = plus(heapMax, s.heapMax());
      threads = plus(threads, s.threads());
      gcCount += s.gcCount();
      gcTime += s.gcTimeMs();
    }
    Stats all = total.current();
    IntervalSummary summary = IntervalSummary.of(start, d, all, allBands, cpu, heapUsed, heapMax, gcCount, gcTime,
        threads);
    total.close(summary);
    if (closed != null) {
      closed.add(new Closed(0, "", summary, all));
      listener.closed(start, d, closed);
    }
  }

  private static int[] addBands(int[] sum, int[] bands) {
    int[] out = Arrays.copyOf(sum, Math.max(sum.length, bands.length));
    for (int i = 0; i < bands.length; i++) {
      out[i] += bands[i];
    }
    return out;
  }

  /** Sums where NaN means unknown: unknown plus a value is the value. */
  private static double plus(double a, double b) {
    return Double.isNaN(a) ? b : Double.isNaN(b) ? a : a + b;
  }

  /** Sums where a negative value means unknown. */
  private static long plus(long a, long b) {
    return a < 0 ? b : b < 0 ? a : a + b;
  }
}
