package io.whatap.runtime;

import io.whatap.util.AgentLog;
import io.whatap.config.Config;
import io.whatap.trace.ActiveRegistry;
import io.whatap.trace.Meters;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TagCountPack;
import io.whatap.wire.WireWriter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the counter thread sends every interval: one relay TagCountPack (category
 * {@code app_counter}) with TPS, response time (average and percentiles from the fixed
 * histogram), errors, active transactions, process CPU, heap, GC, threads, the JVM's pools,
 * collectors and classes ({@link JvmFigures}) and the agent's own meters; then an ACTIVE_STATS
 * frame. It also evicts stuck active transactions.
 */
final class CounterTask implements Runnable {
  public static final String CATEGORY = "app_counter";

  private final Supplier<Config> config;
  private final Meters meters;
  private final ActiveRegistry active;
  private final UdpSender sender;
  private final String hostName;
  private final List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
  private long lastRunNanos = System.nanoTime();
  private long lastGcCount = -1;
  private long lastGcTime;
  private volatile Map<String, Object> lastFields = Map.of();
  private final JvmFigures jvm = new JvmFigures();

  CounterTask(Supplier<Config> config, Meters meters, ActiveRegistry active, UdpSender sender) {
    this.config = config;
    this.meters = meters;
    this.active = active;
    this.sender = sender;
    this.hostName = hostName();
  }

  /** The fields of the last interval sent (for tests and diagnostics). */
  public Map<String, Object> lastFields() {
    return lastFields;
  }

  @Override
  public void run() {
    try {
      Config c = config.get();
      long now = System.nanoTime();
      double seconds = Math.max(0.001, (now - lastRunNanos) / 1e9);
      lastRunNanos = now;
      int evicted = active.evictOlderThan(now, c.activeEvictMs);
      if (evicted > 0) {
        AgentLog.get().warnOnce("active-evicted", evicted + " transaction(s) ran longer than active_evict_ms="
            + c.activeEvictMs + " without ending and were dropped from the active table", null);
      }
      int[] bands = active.bands(now, c.activeBandsMs);
      sender.offerStatsFlush();
      Meters.Interval iv = meters.drainInterval();

      Map<String, Object> tags = new LinkedHashMap<>();
      tags.put("app", c.appName);
      tags.put("pid", String.valueOf(sender.pid()));
      tags.put("process", c.appProcessName);
      tags.put("host", hostName);

      Map<String, Object> f = new LinkedHashMap<>();
      f.put("tps", iv.count / seconds);
      f.put("tx_count", iv.count);
      f.put("error_count", iv.errors);
      f.put("resp_time_avg_ms", iv.averageMs());
      f.put("resp_time_p50_ms", iv.percentileMs(50));
      f.put("resp_time_p90_ms", iv.percentileMs(90));
      f.put("resp_time_p99_ms", iv.percentileMs(99));
      int activeCount = 0;
      for (int b : bands) {
        activeCount += b;
      }
      f.put("active", activeCount);
      for (int i = 0; i < bands.length; i++) {
        f.put("active_band" + i, bands[i]);
      }
      putJvm(f);
      jvm.put(f);
      f.put("agent_tx_queued", sender.transactionsQueued());
      f.put("agent_tx_dropped", sender.transactionsDropped.sum());
      f.put("agent_frames_sent", sender.framesSent.sum());
      f.put("agent_frames_dropped", sender.framesDropped.sum());
      f.put("agent_datagrams_sent", sender.datagramsSent.sum());
      f.put("agent_bytes_sent", sender.bytesSent.sum());
      f.put("agent_send_errors", sender.sendErrors.sum());
      f.put("agent_steps_dropped", meters.stepsDropped.sum());
      f.put("agent_active_rejected", active.rejectedCount());
      f.put("agent_active_evicted", active.evictedCount());
      f.put("agent_malformed_input", meters.malformedInput.sum());
      f.put("agent_requests_ignored", meters.ignoredRequests.sum());
      f.put("agent_untraced_on_error", meters.untracedOnError.sum());
      f.put("agent_internal_errors", AgentLog.get().errorCount());
      f.put("agent_queue_size", sender.queueSize());
      if (sender.startsSentEarly.sum() > 0) { // a field only once it happened: the pack is otherwise as before
        f.put("agent_tx_started_early", sender.startsSentEarly.sum());
      }
      putStatsMode(f);
      lastFields = f;

      WireWriter w = new WireWriter(4096);
      PackEncoder.encode(new RelayPack(new TagCountPack(0, 0, System.currentTimeMillis(), CATEGORY, tags, f), null), w);
      PackEncoder.activeStats(w, bands);
      sender.offerFrames(Arrays.copyOf(w.array(), w.size()));
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("counter", "the counter task failed", e);
    }
  }

  /**
   * Stats mode's own meters, only once a local agent offered it: towards an agent that never does,
   * the pack keeps exactly the fields it always had.
   */
  private void putStatsMode(Map<String, Object> f) {
    if (!sender.statsEverOffered()) {
      return;
    }
    f.put("agent_stats_mode", sender.sendsStats() ? 1 : 0);
    f.put("agent_tx_aggregated", sender.transactionsAggregated.sum());
    f.put("agent_tx_sent_full", sender.transactionsSentFull.sum());
    f.put("agent_stats_names_folded", sender.statsNamesFolded());
    f.put("agent_stats_hitmap_dropped", sender.statsHitmapDropped());
  }

  private void putJvm(Map<String, Object> f) {
    try {
      java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      double cpu = -1;
      if (os instanceof com.sun.management.OperatingSystemMXBean) {
        cpu = ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuLoad();
      }
      f.put("cpu_pct", cpu < 0 ? 0.0 : cpu * 100.0);
      f.put("cpu_cores", os.getAvailableProcessors());
    } catch (RuntimeException | LinkageError e) {
      f.put("cpu_pct", 0.0);
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    f.put("heap_used", heap.getUsed());
    f.put("heap_max", heap.getMax());
    long count = 0;
    long time = 0;
    for (GarbageCollectorMXBean gc : gcs) {
      count += Math.max(0, gc.getCollectionCount());
      time += Math.max(0, gc.getCollectionTime());
    }
    if (lastGcCount < 0) {
      lastGcCount = count;
      lastGcTime = time;
    }
    f.put("gc_count", count - lastGcCount);
    f.put("gc_time_ms", time - lastGcTime);
    lastGcCount = count;
    lastGcTime = time;
    f.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
  }

  private static String hostName() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      return "localhost";
    }
  }
}
