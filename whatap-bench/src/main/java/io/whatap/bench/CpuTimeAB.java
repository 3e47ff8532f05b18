package io.whatap.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Before/after on a loaded machine: two builds of this module's benchmark jar (say the base
 * commit's and HEAD's), each in its own class loader in this one JVM, driven through their own
 * JMH benchmark classes by reflection (the API moved between them; each side's benchmark code
 * is compiled against its own version), in alternating rounds, timed in thread CPU time and
 * counted in allocated bytes per thread instead of wall time.
 *
 * <p>Why CPU time: when other processes share the cores, a wall-clock score carries the time the
 * benchmark thread waited for a core, which is larger than the difference sought. The CPU time a
 * thread was charged is still inflated by a busy machine (shared caches, frequency), but both
 * sides are inflated alike because their rounds alternate (base first in even rounds, head first
 * in odd ones) and a ratio is taken per round pair. The request thread is timed only while it
 * runs the benchmark's calls (not while it waits for the sender to drain, as JMH's untimed
 * set-up does); the sender threads ({@code whatap-sender}) are charged for the whole round,
 * since encoding and sending is part of a transaction's cost.
 *
 * <p>Usage: {@code java -Xms1g -Xmx1g -cp benchmarks.jar io.whatap.bench.CpuTimeAB base.jar
 * head.jar [--rounds 15] [--warmup 5] [--round-ms 100] [--csv out.csv]}. Prints a Markdown table.
 */
public final class CpuTimeAB {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  /** Pause between paced transactions: long enough for the sender to send and park again. */
  private static final long PACED_PAUSE_NANOS = 50_000;
  /** Upper bound on paced calls per round, so a round's wall time stays near a second. */
  private static final int PACED_MAX_CALLS = 8000;

  /** One invocation of a side's benchmark method, or the untimed step after it. */
  interface Call {
    void run() throws Throwable;
  }

  /** One benchmark of one side: the timed call, what follows it untimed, operations per call. */
  record Workload(String name, int opsPerCall, Call timed, Call untimed, int maxCalls, boolean sends) {
  }

  /** A side's per-round figures, per operation. */
  record Sample(double requestCpuNs, double senderCpuNs, double requestBytes, double senderBytes,
      double otherCpuNs) {
    double cpuNs() {
      return requestCpuNs + senderCpuNs;
    }

    double bytes() {
      return requestBytes + senderBytes;
    }
  }

  /** The round's CPU time per call on the request thread, from which the next rounds are sized. */
  private static int callsFor(Workload w, Sample s, long roundNanos) {
    double perCall = Math.max(1, s.requestCpuNs() * w.opsPerCall());
    return (int) Math.max(5, Math.min(w.maxCalls(), roundNanos / perCall));
  }

  /** One build: its class loader, its workloads (in the same order on both sides), its threads. */
  static final class Side {
    final String label;
    final URLClassLoader loader;
    final List<Workload> workloads = new ArrayList<>();
    final List<Runnable> tearDowns = new ArrayList<>();
    long[] senderThreads = new long[0];
    long[] otherThreads = new long[0];

    Side(String label, Path jar) throws IOException {
      this.label = label;
      // Parent: the platform loader, so no class of this harness's own build leaks into the side.
      this.loader = new URLClassLoader(label, new URL[] {jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
    }

    Class<?> load(String name) throws ClassNotFoundException {
      return Class.forName(name, true, loader);
    }
  }

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println("usage: CpuTimeAB base.jar head.jar [--rounds N] [--warmup N] [--round-ms N] [--csv file]");
      System.exit(2);
    }
    int rounds = 15;
    int warmup = 5;
    long roundNanos = 100_000_000L;
    Path csv = null;
    for (int i = 2; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
        case "--round-ms" -> roundNanos = Long.parseLong(args[i + 1]) * 1_000_000L;
        case "--csv" -> csv = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!THREADS.isThreadCpuTimeSupported() || !THREADS.isThreadAllocatedMemorySupported()) {
      throw new IllegalStateException("this JVM cannot read thread CPU time or allocated bytes");
    }
    THREADS.setThreadCpuTimeEnabled(true);
    THREADS.setThreadAllocatedMemoryEnabled(true);

    Side base = new Side("base", Path.of(args[0]));
    Side head = new Side("head", Path.of(args[1]));
    long[] before = THREADS.getAllThreadIds();
    setUp(base);
    long[] afterBase = THREADS.getAllThreadIds();
    setUp(head);
    long[] afterHead = THREADS.getAllThreadIds();
    // Threads started by a side's set-up belong to that side (its agents' sender, timer, ...).
    assignThreads(base, before, afterBase);
    assignThreads(head, afterBase, afterHead);
    retainCommon(base, head);
    List<Workload> names = base.workloads;
    int n = names.size();
    System.out.printf(Locale.ROOT, "base: %s%nhead: %s%nbase threads: %d senders, %d others; head: %d, %d%n",
        args[0], args[1], base.senderThreads.length, base.otherThreads.length,
        head.senderThreads.length, head.otherThreads.length);

    // Calls per round: sized from the base side's first calls so that a round takes about
    // roundNanos of CPU, and sized again after the warm-up, when the code is compiled.
    int[] calls = new int[n];
    for (int w = 0; w < n; w++) {
      calls[w] = callsFor(base.workloads.get(w), round(base, base.workloads.get(w), 20), roundNanos);
    }

    Sample[][][] samples = new Sample[n][2][rounds];
    for (int r = -warmup; r < rounds; r++) {
      for (int w = 0; w < n; w++) {
        boolean baseFirst = (r & 1) == 0;
        Side first = baseFirst ? base : head;
        Side second = baseFirst ? head : base;
        Sample a = round(first, first.workloads.get(w), calls[w]);
        Sample b = round(second, second.workloads.get(w), calls[w]);
        if (r >= 0) {
          samples[w][0][r] = baseFirst ? a : b;
          samples[w][1][r] = baseFirst ? b : a;
        } else if (r == -1) {
          calls[w] = callsFor(base.workloads.get(w), baseFirst ? a : b, roundNanos);
        }
      }
      System.err.println((r < 0 ? "warm-up round " : "round ") + (r < 0 ? r + warmup + 1 : r + 1) + " done");
    }
    for (Runnable t : base.tearDowns) {
      t.run();
    }
    for (Runnable t : head.tearDowns) {
      t.run();
    }
    report(System.out, names, calls, samples, rounds, warmup);
    if (csv != null) {
      writeCsv(csv, names, samples, rounds);
    }
    System.exit(0); // the agents' threads are not daemons in every build
  }

  static void assignThreads(Side side, long[] before, long[] after) {
    List<Long> senders = new ArrayList<>();
    List<Long> others = new ArrayList<>();
    long[] known = before.clone();
    Arrays.sort(known);
    for (long id : after) {
      if (Arrays.binarySearch(known, id) >= 0) {
        continue;
      }
      java.lang.management.ThreadInfo info = THREADS.getThreadInfo(id);
      if (info == null) {
        continue;
      }
      (info.getThreadName().equals("whatap-sender") ? senders : others).add(id);
    }
    side.senderThreads = senders.stream().mapToLong(Long::longValue).toArray();
    side.otherThreads = others.stream().mapToLong(Long::longValue).toArray();
  }

  /** Runs {@code calls} calls of one workload, each timed alone, and the side's threads over all of them. */
  static Sample round(Side side, Workload w, int calls) throws Throwable {
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(side.loader);
    try {
      // The local agent's benchmarks send nothing: the idle senders' timers are not theirs.
      long[] senders = w.sends() ? side.senderThreads : new long[0];
      long[] senderCpu0 = cpu(senders);
      long[] senderBytes0 = THREADS.getThreadAllocatedBytes(senders);
      long[] otherCpu0 = cpu(side.otherThreads);
      long cpu = 0;
      long bytes = 0;
      for (int i = 0; i < calls; i++) {
        long c0 = THREADS.getCurrentThreadCpuTime();
        long b0 = THREADS.getCurrentThreadAllocatedBytes();
        w.timed().run();
        long b1 = THREADS.getCurrentThreadAllocatedBytes();
        long c1 = THREADS.getCurrentThreadCpuTime();
        cpu += c1 - c0;
        bytes += b1 - b0;
        if (w.untimed() != null) {
          w.untimed().run();
        }
      }
      if (!w.sends()) {
        double ops = (double) calls * w.opsPerCall();
        return new Sample(cpu / ops, 0, bytes / ops, 0, 0);
      }
      // Let the sender finish the datagram it took before the queue read empty, and park.
      LockSupport.parkNanos(5_000_000L);
      double ops = (double) calls * w.opsPerCall();
      return new Sample(cpu / ops, sum(cpu(senders), senderCpu0) / ops,
          bytes / ops, sum(THREADS.getThreadAllocatedBytes(senders), senderBytes0) / ops,
          sum(cpu(side.otherThreads), otherCpu0) / ops);
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  private static long[] cpu(long[] ids) {
    return THREADS.getThreadCpuTime(ids);
  }

  /** The sum of per-thread deltas; a thread that ended (-1) counts nothing. */
  private static long sum(long[] after, long[] before) {
    long s = 0;
    for (int i = 0; i < after.length; i++) {
      if (after[i] >= 0 && before[i] >= 0) {
        s += after[i] - before[i];
      }
    }
    return s;
  }

  /**
   * The workloads, built from the side's own benchmark classes exactly as JMH would set them up:
   * TransactionBenchmark (batched with the queue drained between batches, paced one at a time
   * with a pause, and the no-agent baseline), FilterBenchmark (the servlet alone and behind
   * WhatapFilter) and LocalAgentBenchmark (decode, and decode + apply, for each layout and URI mix).
   */
  static void setUp(Side side) throws Throwable {
    Thread current = Thread.currentThread();
    ClassLoader previous = current.getContextClassLoader();
    current.setContextClassLoader(side.loader);
    try {
      transactions(side);
      filter(side);
      localAgent(side);
    } finally {
      current.setContextClassLoader(previous);
    }
  }

  private static void transactions(Side side) throws Throwable {
    Class<?> bench = side.load("io.whatap.bench.TransactionBenchmark");
    Class<?> agentState = side.load("io.whatap.bench.TransactionBenchmark$AgentState");
    Class<?> drained = side.load("io.whatap.bench.TransactionBenchmark$Drained");
    Object b = newInstance(bench);
    Object state = newInstance(agentState);
    Object drain = newInstance(drained);
    method(agentState, "setUp").invoke(state);
    side.tearDowns.add(() -> invokeQuietly(method(agentState, "tearDown"), state));
    int batch = intConstant(bench, "BATCH");
    Method whatap = method(bench, "whatap", agentState, drained);
    Method drainMethod = method(drained, "drain", agentState);
    Method noop = method(bench, "baselineNoop");
    Object[] whatapArgs = {state, drain};
    Object[] drainArgs = {state};
    side.workloads.add(new Workload("TransactionBenchmark.whatap", batch,
        () -> whatap.invoke(b, whatapArgs), () -> drainMethod.invoke(drain, drainArgs), Integer.MAX_VALUE, true));
    Field tracerField = agentState.getDeclaredField("tracer");
    tracerField.setAccessible(true);
    Object tracer = tracerField.get(state);
    Method one = bench.getDeclaredMethod("oneTransaction", tracerField.getType());
    one.setAccessible(true);
    MethodHandle oneTransaction = MethodHandles.lookup().unreflect(one).asType(
        java.lang.invoke.MethodType.methodType(void.class, Object.class));
    side.workloads.add(new Workload("TransactionBenchmark paced (one, then a 50 us pause)", 1,
        () -> oneTransaction.invoke(tracer), () -> LockSupport.parkNanos(PACED_PAUSE_NANOS), PACED_MAX_CALLS, true));
    side.workloads.add(new Workload("TransactionBenchmark.baselineNoop", batch,
        () -> noop.invoke(b), null, Integer.MAX_VALUE, false));
    statsMode(side, bench, b, batch);
  }

  /** TransactionBenchmark.whatapStats, on a build that has it (the same jar on both sides compares the two modes). */
  private static void statsMode(Side side, Class<?> bench, Object b, int batch) throws Throwable {
    Class<?> statsState;
    try {
      statsState = side.load("io.whatap.bench.TransactionBenchmark$StatsAgentState");
    } catch (ClassNotFoundException e) {
      return; // a build from before stats mode: the workload lists are cut to the names both sides have
    }
    Class<?> statsDrained = side.load("io.whatap.bench.TransactionBenchmark$StatsDrained");
    Object state = newInstance(statsState);
    Object drain = newInstance(statsDrained);
    method(statsState, "setUp").invoke(state);
    side.tearDowns.add(() -> invokeQuietly(method(statsState, "tearDown"), state));
    Method whatapStats = method(bench, "whatapStats", statsState, statsDrained);
    Method drainMethod = method(statsDrained, "drain", statsState);
    Object[] args = {state, drain};
    Object[] drainArgs = {state};
    side.workloads.add(new Workload("TransactionBenchmark.whatapStats (stats mode)", batch,
        () -> whatapStats.invoke(b, args), () -> drainMethod.invoke(drain, drainArgs), Integer.MAX_VALUE, true));
  }

  /** Keeps, on both sides, only the workloads both have (in base's order). */
  static void retainCommon(Side base, Side head) {
    java.util.Set<String> baseNames = new java.util.HashSet<>();
    base.workloads.forEach(w -> baseNames.add(w.name()));
    java.util.Set<String> headNames = new java.util.HashSet<>();
    head.workloads.forEach(w -> headNames.add(w.name()));
    base.workloads.removeIf(w -> !headNames.contains(w.name()));
    head.workloads.removeIf(w -> !baseNames.contains(w.name()));
  }

  private static void filter(Side side) throws Throwable {
    Class<?> bench = side.load("io.whatap.bench.servlet.FilterBenchmark");
    Class<?> chains = side.load("io.whatap.bench.servlet.FilterBenchmark$Chains");
    Class<?> drained = side.load("io.whatap.bench.servlet.FilterBenchmark$Drained");
    Object b = newInstance(bench);
    Object c = newInstance(chains);
    Object d = newInstance(drained);
    method(chains, "setUp").invoke(c);
    side.tearDowns.add(() -> invokeQuietly(method(chains, "tearDown"), c));
    int batch = intConstant(bench, "BATCH");
    Method whatap = method(bench, "whatapFilter", chains, drained);
    Method baseline = method(bench, "baseline", chains);
    Method drain = method(drained, "drain");
    Object[] whatapArgs = {c, d};
    Object[] baselineArgs = {c};
    side.workloads.add(new Workload("FilterBenchmark.whatapFilter", batch,
        () -> whatap.invoke(b, whatapArgs), () -> drain.invoke(d), Integer.MAX_VALUE, true));
    side.workloads.add(new Workload("FilterBenchmark.baseline", batch,
        () -> baseline.invoke(b, baselineArgs), null, Integer.MAX_VALUE, false));
  }

  private static void localAgent(Side side) throws Throwable {
    Class<?> bench = side.load("io.whatap.bench.LocalAgentBenchmark");
    int perDatagram = intConstant(bench, "PER_DATAGRAM");
    for (String method : new String[] {"decodeAndApply", "decode"}) {
      for (String layout : new String[] {"startEnd", "frames"}) {
        for (String uris : new String[] {"one", "many"}) {
          if (method.equals("decode") && uris.equals("many")) {
            continue; // decoding alone does not depend on the URI mix beyond the memo's misses
          }
          Object b = newInstance(bench);
          bench.getField("uris").set(b, uris);
          bench.getField("memo").setBoolean(b, true);
          bench.getField("layout").set(b, layout);
          method(bench, "setUp").invoke(b);
          Method m = method(bench, method);
          side.workloads.add(new Workload("LocalAgentBenchmark." + method + " layout=" + layout + " uris=" + uris
              + " memo=true", perDatagram, () -> m.invoke(b), null, Integer.MAX_VALUE, false));
        }
      }
    }
  }

  private static Object newInstance(Class<?> c) throws ReflectiveOperationException {
    Constructor<?> k = c.getDeclaredConstructor();
    k.setAccessible(true);
    return k.newInstance();
  }

  private static Method method(Class<?> c, String name, Class<?>... types) {
    try {
      Method m = c.getDeclaredMethod(name, types);
      m.setAccessible(true);
      return m;
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(c.getName() + " has no " + name + " in this build", e);
    }
  }

  private static int intConstant(Class<?> c, String name) throws ReflectiveOperationException {
    Field f = c.getDeclaredField(name);
    f.setAccessible(true);
    return f.getInt(null);
  }

  private static void invokeQuietly(Method m, Object target) {
    try {
      m.invoke(target);
    } catch (ReflectiveOperationException e) {
      System.err.println(m + " failed: " + e.getCause());
    }
  }

  static double median(double[] v) {
    return quantile(v, 0.5);
  }

  /** Linear interpolation between the closest ranks. */
  static double quantile(double[] v, double q) {
    double[] s = v.clone();
    Arrays.sort(s);
    double pos = q * (s.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  }

  static void report(PrintStream out, List<Workload> workloads, int[] calls, Sample[][][] samples, int rounds,
      int warmup) {
    out.printf(Locale.ROOT, "%n%d measured rounds after %d warm-up rounds, base and head alternating "
        + "(base first in even rounds). CPU = request thread + sender threads, per operation.%n%n", rounds, warmup);
    out.println("| benchmark | calls/round | base CPU ns/op (median) | head CPU ns/op (median) | head/base "
        + "(median of round ratios) | p25–p75 | min–max | head−base ns/op (median) | base req/sender ns | "
        + "head req/sender ns | B/op base → head (req+sender) |");
    out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (int w = 0; w < workloads.size(); w++) {
      Sample[] b = samples[w][0];
      Sample[] h = samples[w][1];
      double[] bc = new double[rounds];
      double[] hc = new double[rounds];
      double[] ratio = new double[rounds];
      double[] diff = new double[rounds];
      double[] br = new double[rounds];
      double[] bs = new double[rounds];
      double[] hr = new double[rounds];
      double[] hs = new double[rounds];
      double[] bb = new double[rounds];
      double[] hb = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        bc[r] = b[r].cpuNs();
        hc[r] = h[r].cpuNs();
        ratio[r] = hc[r] / bc[r];
        diff[r] = hc[r] - bc[r];
        br[r] = b[r].requestCpuNs();
        bs[r] = b[r].senderCpuNs();
        hr[r] = h[r].requestCpuNs();
        hs[r] = h[r].senderCpuNs();
        bb[r] = b[r].bytes();
        hb[r] = h[r].bytes();
      }
      out.printf(Locale.ROOT, "| %s | %d | %.1f | %.1f | %.3f | %.3f–%.3f | %.3f–%.3f | %+.1f | %.1f / %.1f | %.1f / %.1f | %.1f → %.1f |%n",
          workloads.get(w).name(), calls[w], median(bc), median(hc), median(ratio), quantile(ratio, 0.25),
          quantile(ratio, 0.75), quantile(ratio, 0), quantile(ratio, 1), median(diff), median(br), median(bs),
          median(hr), median(hs), median(bb), median(hb));
    }
  }

  static void writeCsv(Path file, List<Workload> workloads, Sample[][][] samples, int rounds) throws IOException {
    StringBuilder sb = new StringBuilder("benchmark,side,round,request_cpu_ns_op,sender_cpu_ns_op,"
        + "other_agent_cpu_ns_op,request_bytes_op,sender_bytes_op\n");
    for (int w = 0; w < workloads.size(); w++) {
      for (int side = 0; side < 2; side++) {
        for (int r = 0; r < rounds; r++) {
          Sample s = samples[w][side][r];
          sb.append('"').append(workloads.get(w).name()).append("\",").append(side == 0 ? "base" : "head")
              .append(',').append(r + 1).append(',')
              .append(String.format(Locale.ROOT, "%.2f,%.2f,%.2f,%.2f,%.2f%n", s.requestCpuNs(), s.senderCpuNs(),
                  s.otherCpuNs(), s.requestBytes(), s.senderBytes()));
        }
      }
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, sb.toString());
  }
}
