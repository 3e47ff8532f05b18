package io.whatap.agent.http;

import io.whatap.agent.export.ExporterMeters;
import io.whatap.agent.export.Exports;

/**
 * The exporters' meters in the Prometheus text format, appended to /metrics: one series per
 * exporter (label {@code exporter="otlp"} or {@code "zipkin"}), nothing when no exporter runs.
 */
final class ExportMetricsText {
  private ExportMetricsText() {
  }

  static String render(Exports exports) {
    if (exports == null || !exports.enabled()) {
      return "";
    }
    StringBuilder out = new StringBuilder(2048);
    family(out, "whatap_agent_export_not_selected_total", "counter",
        "Completed transactions export_select left out (all exporters).");
    out.append("whatap_agent_export_not_selected_total ").append(exports.notSelected.sum()).append('\n');
    counter(exports, out, "whatap_agent_export_queued_total", "Transactions queued for export.", null,
        m -> m.queued.sum());
    family(out, "whatap_agent_export_dropped_total", "counter",
        "Transactions not exported: queue_full (export_queue_max reached) or failed (given up after a failed request).");
    for (ExporterMeters m : exports.meters()) {
      sample(out, "whatap_agent_export_dropped_total", m, "queue_full", m.droppedQueueFull.sum());
      sample(out, "whatap_agent_export_dropped_total", m, "failed", m.droppedFailed.sum());
    }
    counter(exports, out, "whatap_agent_export_sent_transactions_total", "Transactions a collector accepted.", null,
        m -> m.sentTransactions.sum());
    counter(exports, out, "whatap_agent_export_sent_spans_total", "Spans a collector accepted.", null,
        m -> m.sentSpans.sum());
    counter(exports, out, "whatap_agent_export_requests_total", "Export requests sent (every attempt).", null,
        m -> m.requests.sum());
    counter(exports, out, "whatap_agent_export_requests_failed_total",
        "Export requests that failed (no answer, 429, 5xx or another refusal).", null, m -> m.requestsFailed.sum());
    counter(exports, out, "whatap_agent_export_metrics_failed_total", "OTLP metric exports that failed.", null,
        m -> m.metricsFailed.sum());
    counter(exports, out, "whatap_agent_export_queue_size", "Transactions waiting in the export queue.", "gauge",
        m -> m.queueSize());
    return out.toString();
  }

  private interface Value {
    long of(ExporterMeters m);
  }

  private static void counter(Exports exports, StringBuilder out, String name, String help, String type, Value v) {
    family(out, name, type == null ? "counter" : type, help);
    for (ExporterMeters m : exports.meters()) {
      sample(out, name, m, null, v.of(m));
    }
  }

  private static void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, ExporterMeters m, String reason, long value) {
    out.append(name).append("{exporter=\"").append(m.name).append('"');
    if (reason != null) {
      out.append(",reason=\"").append(reason).append('"');
    }
    out.append("} ").append(value).append('\n');
  }
}
