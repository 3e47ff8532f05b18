package io.whatap.agent.http;

import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.query.AppView;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The per-application names of 0.1.0, labelled {@code app} and {@code pid}, unchanged, while
 * agent_metrics_legacy is on (by default in the release after 0.1.0; off by default in the one after,
 * then removed): every HELP
 * names what replaces it (docs/prometheus.md, "Deprecated names"). No name here is one of the new
 * ones, so both can be scraped at once while dashboards move.
 */
final class DeprecatedMetrics {
  private DeprecatedMetrics() {
  }

  static void write(ExpositionWriter w, List<AppView> apps, long fresh) {
    counter(w, apps, "whatap_transactions_total", "whatap_transaction_duration_seconds_count",
        "Transactions completed.", a -> a.count());
    counter(w, apps, "whatap_transaction_errors_total", "whatap_transaction_failures_total",
        "Transactions completed with an error.", a -> a.errors());
    counter(w, apps, "whatap_transaction_elapsed_milliseconds_total", "whatap_transaction_duration_seconds_sum",
        "Sum of transaction elapsed times.", a -> a.elapsedSum());
    gauge(w, apps, "whatap_tps", "rate(whatap_transaction_duration_seconds_count[1m])",
        "Transactions per second in the last closed interval.", a -> a.last() == null ? Double.NaN : a.last().tps());

    w.family("whatap_response_time_milliseconds", "gauge",
        "Response time in the last closed interval (stat: avg, p50, p90, p99, max)."
            + deprecated("histogram_quantile over whatap_transaction_duration_seconds_bucket"));
    for (AppView a : apps) {
      IntervalSummary l = a.last();
      if (l == null) {
        continue;
      }
      stat(w, a, "avg", l.avg());
      stat(w, a, "p50", l.p50());
      stat(w, a, "p90", l.p90());
      stat(w, a, "p99", l.p99());
      stat(w, a, "max", l.max());
    }

    w.family("whatap_active_transactions", "gauge", "Active transactions per elapsed band (last ACTIVE_STATS)."
        + deprecated("whatap_transactions_in_flight"));
    for (AppView a : apps) {
      for (int i = 0; i < a.bands().length; i++) {
        w.sample("whatap_active_transactions", labels(a), "band", String.valueOf(i), a.bands()[i]);
      }
    }

    gauge(w, apps, "whatap_cpu_percent", "process_cpu_usage", "Process CPU, percent of the machine.",
        a -> a.countersAt() >= fresh ? number(a, "cpu_pct") : Double.NaN);
    gauge(w, apps, "whatap_heap_used_bytes", "jvm_memory_used_bytes{area=\"heap\"}", "Heap used.",
        a -> a.countersAt() >= fresh ? number(a, "heap_used") : Double.NaN);
    gauge(w, apps, "whatap_heap_max_bytes", "jvm_memory_max_bytes{area=\"heap\"}", "Heap maximum.",
        a -> a.countersAt() >= fresh ? number(a, "heap_max") : Double.NaN);
    gauge(w, apps, "whatap_threads", "jvm_threads_live_threads", "Live threads.",
        a -> a.countersAt() >= fresh ? number(a, "threads") : Double.NaN);
    counter(w, apps, "whatap_gc_collections_total", "jvm_gc_pause_seconds_count",
        "Garbage collections reported since the agent saw the app.", a -> a.gcCountTotal());
    counter(w, apps, "whatap_gc_time_milliseconds_total", "jvm_gc_pause_seconds_sum",
        "Garbage collection time reported.", a -> a.gcTimeTotal());
    counter(w, apps, "whatap_app_transactions_dropped_total", "whatap_sender_dropped_transactions_total",
        "Transactions the application's agent dropped (its send queue was full).",
        a -> number(a, "agent_tx_dropped"));
    counter(w, apps, "whatap_app_send_errors_total", "whatap_sender_send_errors_total",
        "UDP send errors in the application's agent.", a -> number(a, "agent_send_errors"));
    gauge(w, apps, "whatap_app_last_seen_timestamp_seconds", "whatap_instance_last_seen_timestamp_seconds",
        "When the application was last heard from.", a -> a.lastHeard() / 1000.0);
  }

  private static String deprecated(String use) {
    return " Deprecated (agent_metrics_legacy): use " + use + ".";
  }

  private static void stat(ExpositionWriter w, AppView a, String stat, double value) {
    w.sample("whatap_response_time_milliseconds", labels(a), "stat", stat, value);
  }

  private static double number(AppView a, String field) {
    Object v = a.counters().get(field);
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  private static void counter(ExpositionWriter w, List<AppView> apps, String name, String use, String help,
      ToDoubleFunction<AppView> value) {
    family(w, apps, name, "counter", help + deprecated(use), value);
  }

  private static void gauge(ExpositionWriter w, List<AppView> apps, String name, String use, String help,
      ToDoubleFunction<AppView> value) {
    family(w, apps, name, "gauge", help + deprecated(use), value);
  }

  private static void family(ExpositionWriter w, List<AppView> apps, String name, String type, String help,
      ToDoubleFunction<AppView> value) {
    w.family(name, type, help);
    for (AppView a : apps) {
      double v = value.applyAsDouble(a);
      if (!Double.isNaN(v)) {
        w.sample(name, labels(a), null, null, v);
      }
    }
  }

  private static String[] labels(AppView a) {
    return new String[] {"app", a.name(), "pid", String.valueOf(a.pid())};
  }
}
