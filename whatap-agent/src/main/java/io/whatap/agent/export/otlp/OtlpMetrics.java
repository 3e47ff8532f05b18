package io.whatap.agent.export.otlp;

import io.whatap.agent.export.spans.ServiceResource;
import io.whatap.agent.export.spans.SpanMapper;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.query.AppView;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An OTLP/HTTP ExportMetricsServiceRequest (protobuf) of every application the agent knows, one
 * ResourceMetrics each (the same resource as its spans), cumulative temporality (a lost export loses
 * nothing: the next one carries the totals):
 * <ul>
 * <li>sums: {@code whatap.transactions}, {@code whatap.transaction.errors}, {@code whatap.gc.collections},
 * {@code whatap.gc.duration} (s);</li>
 * <li>a histogram: {@code whatap.transaction.duration} (s, OpenTelemetry's HTTP duration buckets);</li>
 * <li>gauges: {@code whatap.transactions.active}, {@code whatap.tps} (last closed interval) and, when the
 * application sent counters recently, {@code whatap.cpu.utilization} (ratio of the machine),
 * {@code whatap.heap.used}, {@code whatap.heap.max} (By), {@code whatap.threads}.</li>
 * </ul>
 */
public final class OtlpMetrics {
  private static final int CUMULATIVE = 2;

  private final AgentQuery query;
  private final TransactionMetrics durations;
  private final SpanMapper mapper;

  public OtlpMetrics(AgentQuery query, TransactionMetrics durations, SpanMapper mapper) {
    this.query = query;
    this.durations = durations;
    this.mapper = mapper;
  }

  /** The request body, or null when the agent knows no application yet. */
  public byte[] encode() {
    List<AppView> apps = query.apps();
    long now = query.now();
    Set<Integer> live = new HashSet<>();
    for (AppView a : apps) {
      live.add(a.id());
    }
    durations.retain(live);
    if (apps.isEmpty()) {
      return null;
    }
    long fresh = now - query.settings().liveWindowMs();
    long nowNs = now * 1_000_000L;
    ProtoWriter w = new ProtoWriter(apps.size() * 1024);
    for (AppView a : apps) {
      long startNs = a.firstSeen() * 1_000_000L;
      w.begin(1); // ResourceMetrics
      ServiceResource r = ServiceResource.of(a.name(), a.pid(), mapper.hostName());
      OtlpTraces.resource(w, 1, r);
      w.begin(2); // ScopeMetrics
      OtlpTraces.scope(w, 1);
      sum(w, "whatap.transactions", "Transactions completed.", "{transaction}", startNs, nowNs, a.count());
      sum(w, "whatap.transaction.errors", "Transactions completed with an error.", "{transaction}", startNs, nowNs,
          a.errors());
      sum(w, "whatap.gc.collections", "Garbage collections reported.", "{collection}", startNs, nowNs,
          a.gcCountTotal());
      sumDouble(w, "whatap.gc.duration", "Garbage collection time reported.", "s", startNs, nowNs,
          a.gcTimeTotal() / 1000.0);
      TransactionMetrics.Series s = durations.series(a.id());
      if (s != null) {
        histogram(w, s, nowNs);
      }
      int active = 0;
      for (int b : a.bands()) {
        active += b;
      }
      gaugeInt(w, "whatap.transactions.active", "Transactions running (last ACTIVE_STATS).", "{transaction}", nowNs,
          active);
      if (a.last() != null) {
        gaugeDouble(w, "whatap.tps", "Transactions per second in the last closed interval.", "{transaction}/s",
            nowNs, a.last().tps());
      }
      if (a.countersAt() >= fresh) {
        counter(w, a, "cpu_pct", "whatap.cpu.utilization", "Process CPU, ratio of the machine.", "1", nowNs, 0.01);
        counter(w, a, "heap_used", "whatap.heap.used", "Heap used.", "By", nowNs, 1);
        counter(w, a, "heap_max", "whatap.heap.max", "Heap maximum.", "By", nowNs, 1);
        counter(w, a, "threads", "whatap.threads", "Live threads.", "{thread}", nowNs, 1);
      }
      w.end();
      w.end();
    }
    return w.toByteArray();
  }

  private static void counter(ProtoWriter w, AppView a, String field, String name, String description, String unit,
      long nowNs, double scale) {
    Object v = a.counters().get(field);
    if (v instanceof Number n) {
      gaugeDouble(w, name, description, unit, nowNs, n.doubleValue() * scale);
    }
  }

  private static void header(ProtoWriter w, String name, String description, String unit) {
    w.string(1, name);
    w.string(2, description);
    w.string(3, unit);
  }

  private static void sum(ProtoWriter w, String name, String description, String unit, long startNs, long nowNs,
      long value) {
    w.begin(2); // Metric
    header(w, name, description, unit);
    w.begin(7); // Sum
    w.begin(1).fixed64(2, startNs).fixed64(3, nowNs).fixed64(6, value).end();
    w.uint64(2, CUMULATIVE);
    w.boolAlways(3, true);
    w.end();
    w.end();
  }

  private static void sumDouble(ProtoWriter w, String name, String description, String unit, long startNs,
      long nowNs, double value) {
    w.begin(2);
    header(w, name, description, unit);
    w.begin(7);
    w.begin(1).fixed64(2, startNs).fixed64(3, nowNs).doubleAlways(4, value).end();
    w.uint64(2, CUMULATIVE);
    w.boolAlways(3, true);
    w.end();
    w.end();
  }

  private static void gaugeInt(ProtoWriter w, String name, String description, String unit, long nowNs, long value) {
    w.begin(2);
    header(w, name, description, unit);
    w.begin(5); // Gauge
    w.begin(1).fixed64(3, nowNs).fixed64(6, value).end();
    w.end();
    w.end();
  }

  private static void gaugeDouble(ProtoWriter w, String name, String description, String unit, long nowNs,
      double value) {
    w.begin(2);
    header(w, name, description, unit);
    w.begin(5);
    w.begin(1).fixed64(3, nowNs).doubleAlways(4, value).end();
    w.end();
    w.end();
  }

  private static void histogram(ProtoWriter w, TransactionMetrics.Series s, long nowNs) {
    long[] counts = new long[s.buckets.length()];
    long count = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] = s.buckets.getAcquire(i);
      count += counts[i];
    }
    double[] bounds = new double[TransactionMetrics.BOUNDS_MS.length];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = TransactionMetrics.BOUNDS_MS[i] / 1000.0;
    }
    w.begin(2);
    header(w, "whatap.transaction.duration", "Transaction duration.", "s");
    w.begin(9); // Histogram
    w.begin(1); // HistogramDataPoint
    w.fixed64(2, s.start * 1_000_000L).fixed64(3, nowNs).fixed64(4, count).doubleAlways(5, s.sumMs.getAcquire() / 1000.0);
    w.packedFixed64(6, counts).packedDouble(7, bounds);
    w.end();
    w.uint64(2, CUMULATIVE);
    w.end();
    w.end();
  }
}
