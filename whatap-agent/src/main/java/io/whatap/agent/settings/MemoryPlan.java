package io.whatap.agent.settings;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The most the agent can hold from the network with these settings, part by part, and the check of
 * that total against the heap at start: over the heap, the agent refuses to start (the options
 * cannot all be reached without an OutOfMemoryError); over {@link #WARN_SHARE} of it, it starts
 * and warns. The parts follow the bounds: every kept thing is counted by the estimate its bound
 * uses (strings at two bytes a character, objects at their usual 64-bit sizes).
 */
public final class MemoryPlan {
  /** The share of the heap above which the agent warns. */
  public static final double WARN_SHARE = 0.8;
  /**
   * The agent without data: classes' static data, Vert.x and Netty (one event loop, its buffer
   * pools), the decoder's transient packs of a 64 KB datagram, JSON rendering of a large answer.
   */
  static final long BASELINE_BYTES = 40L << 20;
  /** An interval summary (one per application per interval kept) without its bands. */
  static final long SUMMARY_BYTES = 200;
  /** An application without its names and texts: its state, totals, maps, three texts' room. */
  static final long APP_FIXED_BYTES = 8192;
  /** An application's JVM figures: 120 compact samples (io.whatap.agent.apps.JvmState) and the latest pools. */
  static final long JVM_HISTORY_BYTES = 120 * 400 + 4096;

  /**
   * Two intervals being gathered for the store (the open one and one closing), without their kept
   * transactions: at most 2,000 keys in each of four maps (IntervalBatch.KEYS_MAX), a name slot with
   * its histogram about 800 bytes, a statement, URL or error group about 300.
   */
  static final long STORE_BATCHES_BYTES = 2L * 2000 * (800 + 3 * 300);

  private final Map<String, Long> parts = new LinkedHashMap<>();
  private final long total;

  public MemoryPlan(AgentSettings s) {
    long apps = s.appsMax + 1L; // the total aggregates like one more application
    parts.put("baseline (Vert.x, buffers, a datagram being decoded)", BASELINE_BYTES + 4L * s.udpMaxBytes);
    parts.put("pending transactions (agent_pending_memory_mb)", s.pendingMemoryBytes + 160L * s.pendingMax);
    parts.put("completed transactions (agent_profile_memory_mb, agent_hitmap_max)",
        s.profileMemoryBytes + 16L * s.hitmapMax + 64L * (s.recentMax + s.keptMax));
    parts.put("per-name statistics (agent_names_memory_mb)", s.namesMemoryBytes);
    parts.put("applications' texts and series (agent_apps_max x agent_app_memory_kb, agent_history_intervals)",
        apps * (s.appMemoryBytes + APP_FIXED_BYTES + JVM_HISTORY_BYTES + 6L * s.textMax
            + (long) s.historyIntervals * (SUMMARY_BYTES + 4L * s.bandsMax)));
    if (s.storeEnabled) {
      // the transactions waiting for the store's writer (agent_store_queue_mb), the transactions two
      // intervals being gathered keep (half of it each) and their keys
      parts.put("store writer (agent_store_queue_mb)", 2 * s.storeQueueBytes + STORE_BATCHES_BYTES);
    }
    long sum = 0;
    for (long v : parts.values()) {
      sum += v;
    }
    total = sum;
  }

  public long totalBytes() {
    return total;
  }

  /** Each part's worst case, in bytes, by what bounds it. */
  public Map<String, Long> parts() {
    return parts;
  }

  /**
   * Checks the plan against {@code maxHeapBytes} (Runtime.maxMemory()).
   *
   * @return a warning to log when the plan takes more than {@link #WARN_SHARE} of the heap, else null
   * @throws IllegalArgumentException when the plan does not fit in the heap at all
   */
  public String check(long maxHeapBytes) {
    if (total > maxHeapBytes) {
      throw new IllegalArgumentException("the memory bounds add up to " + mb(total) + " MB, more than the heap ("
          + mb(maxHeapBytes) + " MB, -Xmx): " + describe() + "; lower these options or raise -Xmx");
    }
    if (total > WARN_SHARE * maxHeapBytes) {
      return "the memory bounds add up to " + mb(total) + " MB, " + Math.round(100.0 * total / maxHeapBytes)
          + "% of the heap (" + mb(maxHeapBytes) + " MB): " + describe()
          + "; at the limits the collector will run often. Lower these options or raise -Xmx";
    }
    return null;
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, Long> e : parts.entrySet()) {
      b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(mb(e.getValue())).append(" MB");
    }
    return b.toString();
  }

  private static long mb(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }
}
