package io.whatap.runtime;

import io.whatap.util.AgentLog;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM figures the counter pack carries beside heap, CPU and the summed GC deltas: memory per
 * pool (used, committed, max, heap or not), GC count and time per collector (totals since the JVM
 * started, so a lost pack loses nothing), threads (daemon, peak, started), classes (loaded,
 * unloaded) and the process's CPU time. Pools and collectors travel as two nested golib maps
 * ({@code jvm_pools}, {@code jvm_gcs}), the rest as flat numbers; a map reader that does not know
 * a key skips it, as WhaTap's does. At most {@link #POOLS_MAX} pools and {@link #COLLECTORS_MAX}
 * collectors are sent (a JVM has about ten and three); the rest are counted as left out.
 */
final class JvmFigures {
  static final int POOLS_MAX = 16;
  static final int COLLECTORS_MAX = 8;
  /** Characters kept of a pool's or collector's name. */
  static final int NAME_CHARS_MAX = 64;

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
  private final List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
  /** Pools and collectors beyond the bounds, summed over every interval. */
  private long leftOut;

  /** Adds the figures to the counter fields; a bean that fails leaves its figures out (logged once). */
  void put(Map<String, Object> f) {
    try {
      MemoryUsage heap = memory.getHeapMemoryUsage();
      MemoryUsage nonHeap = memory.getNonHeapMemoryUsage();
      f.put("heap_committed", heap.getCommitted());
      f.put("nonheap_used", nonHeap.getUsed());
      f.put("nonheap_committed", nonHeap.getCommitted());
      f.put("threads_daemon", threads.getDaemonThreadCount());
      f.put("threads_peak", threads.getPeakThreadCount());
      f.put("threads_started_total", threads.getTotalStartedThreadCount());
      f.put("classes_loaded", classes.getLoadedClassCount());
      f.put("classes_unloaded_total", classes.getUnloadedClassCount());
      f.put("process_cpu_time_ms", processCpuTimeMs());
      f.put("jvm_pools", pools());
      f.put("jvm_gcs", collectors());
      f.put("jvm_figures_left_out", leftOut);
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("jvm-figures", "the JVM figures could not be read", e);
    }
  }

  /** name → [used, committed, max (-1: undefined), 1 heap / 0 non-heap], in the JVM's order. */
  private Map<String, Object> pools() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (MemoryPoolMXBean p : pools) {
      if (!p.isValid()) {
        continue;
      }
      if (out.size() >= POOLS_MAX) {
        leftOut++;
        continue;
      }
      MemoryUsage u = p.getUsage();
      List<Object> v = new ArrayList<>(4);
      v.add(u.getUsed());
      v.add(u.getCommitted());
      v.add(u.getMax());
      v.add(p.getType() == MemoryType.HEAP ? 1L : 0L);
      out.put(cut(p.getName()), v);
    }
    return out;
  }

  /** name → [collections, collection time ms], totals since the JVM started. */
  private Map<String, Object> collectors() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (GarbageCollectorMXBean gc : collectors) {
      if (out.size() >= COLLECTORS_MAX) {
        leftOut++;
        continue;
      }
      List<Object> v = new ArrayList<>(2);
      v.add(Math.max(0, gc.getCollectionCount()));
      v.add(Math.max(0, gc.getCollectionTime()));
      out.put(cut(gc.getName()), v);
    }
    return out;
  }

  private static long processCpuTimeMs() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      long nanos = sun.getProcessCpuTime();
      return nanos < 0 ? -1 : nanos / 1_000_000L;
    }
    return -1;
  }

  private static String cut(String name) {
    return name.length() > NAME_CHARS_MAX ? name.substring(0, NAME_CHARS_MAX) : name;
  }
}
