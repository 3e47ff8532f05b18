package io.whatap.agent.http;

import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.query.AppView;
import io.whatap.agent.store.StoreWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus text exposition format (version 0.0.4) of the agent's own meters and of every
 * application's figures, labelled {@code app} and {@code pid}. Counters are totals since the agent
 * started (or, for what an application reports as totals, since the application started); gauges
 * are the last closed interval or the last counter pack. A gauge the agent does not know (no
 * counter pack recently) is left out rather than exported as a made-up value.
 */
public final class MetricsText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final StringBuilder out = new StringBuilder(8192);

  private MetricsText() {
  }

  public static String render(AgentQuery state) {
    return render(state, null);
  }

  /** As {@link #render(AgentQuery)}, with the HTTP side's meters when {@code guard} is given. */
  public static String render(AgentQuery state, HttpGuard guard) {
    MetricsText m = new MetricsText();
    if (guard != null) {
      m.agentCounter("whatap_agent_http_refused_host_total",
          "HTTP requests answered 421: a Host this agent is not known by (DNS rebinding).", guard.refusedHost.sum());
      m.agentCounter("whatap_agent_http_refused_origin_total",
          "HTTP requests answered 403: a foreign Origin.", guard.refusedOrigin.sum());
      m.agentCounter("whatap_agent_http_connections_refused_total",
          "HTTP connections closed at once: agent_http_connections_max were open.", guard.connectionsRefused.sum());
      m.family("whatap_agent_http_connections", "gauge", "HTTP connections open.");
      m.sample("whatap_agent_http_connections", List.of(), guard.connectionsOpen());
    }
    return m.write(state).out.toString();
  }

  private MetricsText write(AgentQuery s) {
    agentCounter("whatap_agent_datagrams_total", "Datagrams received on the UDP port.", s.datagrams.sum());
    agentCounter("whatap_agent_received_bytes_total", "Bytes received on the UDP port.", s.bytes.sum());
    agentCounter("whatap_agent_frames_total", "Frames decoded (known and unknown types).", s.frames.sum());
    agentCounter("whatap_agent_malformed_datagrams_total",
        "Datagrams with a malformed frame (the frames before it were used).", s.malformed.sum());
    agentCounter("whatap_agent_oversized_datagrams_total",
        "Datagrams over agent_udp_max_bytes, dropped undecoded.", s.oversized.sum());
    agentCounter("whatap_agent_unknown_frames_total", "Frames of unknown type or layout family, skipped.",
        s.unknownFrames.sum());
    agentCounter("whatap_agent_unattributed_packs_total",
        "Packs without a pid from an address no application was seen at, dropped.", s.unattributed.sum());
    agentCounter("whatap_agent_relay_other_total", "Relay packs other than app_counter, ignored.",
        s.relayOther.sum());
    agentCounter("whatap_agent_pending_evicted_total",
        "Unfinished transactions dropped because agent_pending_max was reached.", s.pendingEvicted.sum());
    agentCounter("whatap_agent_pending_expired_total",
        "Unfinished transactions dropped after agent_pending_timeout_ms.", s.pendingExpired.sum());
    agentCounter("whatap_agent_starts_missing_total", "Transactions that ended without a TX_START seen.",
        s.startsMissing.sum());
    agentCounter("whatap_agent_steps_dropped_total", "Profile steps over agent_profile_steps_max, dropped.",
        s.stepsDropped.sum());
    agentCounter("whatap_agent_apps_evicted_total", "Applications forgotten because agent_apps_max was reached.",
        s.appsEvicted.sum());
    agentCounter("whatap_agent_backchannel_requests_total", "Back-channel requests sent to applications.",
        s.backChannelRequests.sum());
    agentCounter("whatap_agent_backchannel_send_errors_total", "Back-channel requests that could not be sent.",
        s.backChannelSendErrors.sum());
    agentCounter("whatap_agent_receive_errors_total", "Failures to receive or apply a datagram (each costs it).",
        s.receiveErrors.sum());
    agentCounter("whatap_agent_completed_transactions_total", "Transactions completed (all applications).",
        s.completed());
    agentCounter("whatap_agent_pending_evicted_memory_total",
        "Unfinished transactions dropped (oldest first) to stay within agent_pending_memory_mb.",
        s.pendingEvictedForMemory.sum());
    agentCounter("whatap_agent_steps_dropped_memory_total",
        "Profile steps dropped because their transaction reached agent_tx_memory_kb.", s.stepsDroppedForMemory.sum());
    agentCounter("whatap_agent_names_folded_total",
        "Transaction names counted under (other names): agent_names_max or agent_names_memory_mb reached.",
        s.namesFolded.sum());
    agentCounter("whatap_agent_bands_dropped_total", "ACTIVE_STATS bands beyond agent_bands_max, not kept.",
        s.bandsDropped.sum());
    agentCounter("whatap_agent_counter_fields_dropped_total",
        "Counter-pack fields beyond agent_counter_fields_max or the application's share of agent_app_memory_kb.",
        s.counterFieldsDropped.sum());
    agentCounter("whatap_agent_active_entries_dropped_total",
        "Active-list entries beyond agent_active_list_max or the application's share of agent_app_memory_kb.",
        s.activeEntriesDropped.sum());
    agentCounter("whatap_agent_unsigned_datagrams_total",
        "Datagrams without a valid signature while net_udp_secret is set, dropped.", s.unsigned.sum());
    StoreWriter store = s.storeWriter();
    if (store != null) {
      agentCounter("whatap_agent_store_dropped_total",
          "Completed transactions not written to the store: its queue was full (agent_store_queue_mb).",
          store.dropped.sum());
      agentCounter("whatap_agent_store_intervals_dropped_total",
          "Closed intervals not written to the store: its queue was full.", store.intervalsDropped.sum());
      agentCounter("whatap_agent_store_write_errors_total", "Failed writes to the store (logged).",
          store.writeErrors.sum());
      agentCounter("whatap_agent_store_commits_total", "Intervals committed to the store.", store.commits.sum());
      agentCounter("whatap_agent_store_deleted_for_size_total",
          "Rows deleted (oldest first) to keep the store under agent_store_max_mb.", store.store().deletedForSize());
      family("whatap_agent_store_bytes", "gauge", "Bytes the store's files take on disk (the database and its log).");
      sample("whatap_agent_store_bytes", List.of(), store.store().fileBytes());
    }
    family("whatap_agent_pending_transactions", "gauge", "Transactions started but not yet ended.");
    sample("whatap_agent_pending_transactions", List.of(), s.pendingCount());
    family("whatap_agent_pending_bytes", "gauge",
        "Estimated bytes held by unfinished transactions (bounded by agent_pending_memory_mb).");
    sample("whatap_agent_pending_bytes", List.of(), s.pendingBytes());
    family("whatap_agent_names_bytes", "gauge",
        "Estimated bytes held by per-name statistics (bounded by agent_names_memory_mb).");
    sample("whatap_agent_names_bytes", List.of(), s.namesBytes());

    List<AppView> apps = s.apps();
    long now = s.now();
    long fresh = now - s.settings().liveWindowMs();
    appCounter(apps, "whatap_transactions_total", "Transactions completed.", a -> a.count());
    appCounter(apps, "whatap_transaction_errors_total", "Transactions completed with an error.",
        a -> a.errors());
    appCounter(apps, "whatap_transaction_elapsed_milliseconds_total", "Sum of transaction elapsed times.",
        a -> a.elapsedSum());
    appGauge(apps, "whatap_tps", "Transactions per second in the last closed interval.",
        a -> a.last() == null ? Double.NaN : a.last().tps());

    family("whatap_response_time_milliseconds", "gauge",
        "Response time in the last closed interval (stat: avg, p50, p90, p99, max).");
    for (AppView a : apps) {
      IntervalSummary l = a.last();
      if (l == null) {
        continue;
      }
      stat(a, "avg", l.avg());
      stat(a, "p50", l.p50());
      stat(a, "p90", l.p90());
      stat(a, "p99", l.p99());
      stat(a, "max", l.max());
    }

    family("whatap_active_transactions", "gauge", "Active transactions per elapsed band (last ACTIVE_STATS).");
    for (AppView a : apps) {
      for (int i = 0; i < a.bands().length; i++) {
        sample("whatap_active_transactions", labels(a, "band", String.valueOf(i)), a.bands()[i]);
      }
    }

    appGauge(apps, "whatap_cpu_percent", "Process CPU, percent of the machine.",
        a -> a.countersAt() >= fresh ? number(a, "cpu_pct") : Double.NaN);
    appGauge(apps, "whatap_heap_used_bytes", "Heap used.",
        a -> a.countersAt() >= fresh ? number(a, "heap_used") : Double.NaN);
    appGauge(apps, "whatap_heap_max_bytes", "Heap maximum.",
        a -> a.countersAt() >= fresh ? number(a, "heap_max") : Double.NaN);
    appGauge(apps, "whatap_threads", "Live threads.",
        a -> a.countersAt() >= fresh ? number(a, "threads") : Double.NaN);
    appCounter(apps, "whatap_gc_collections_total", "Garbage collections reported since the agent saw the app.",
        a -> a.gcCountTotal());
    appCounter(apps, "whatap_gc_time_milliseconds_total", "Garbage collection time reported.",
        a -> a.gcTimeTotal());
    appCounter(apps, "whatap_app_transactions_dropped_total",
        "Transactions the application's agent dropped (its send queue was full).",
        a -> number(a, "agent_tx_dropped"));
    appCounter(apps, "whatap_app_send_errors_total", "UDP send errors in the application's agent.",
        a -> number(a, "agent_send_errors"));
    appGauge(apps, "whatap_app_last_seen_timestamp_seconds", "When the application was last heard from.",
        a -> a.lastHeard() / 1000.0);
    return this;
  }

  private void stat(AppView a, String stat, double value) {
    sample("whatap_response_time_milliseconds", labels(a, "stat", stat), value);
  }

  private static double number(AppView a, String field) {
    Object v = a.counters().get(field);
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  private void agentCounter(String name, String help, long value) {
    family(name, "counter", help);
    sample(name, List.of(), value);
  }

  private void appCounter(List<AppView> apps, String name, String help,
      ToDoubleFunction<AppView> value) {
    appFamily(apps, name, "counter", help, value);
  }

  private void appGauge(List<AppView> apps, String name, String help,
      ToDoubleFunction<AppView> value) {
    appFamily(apps, name, "gauge", help, value);
  }

  private void appFamily(List<AppView> apps, String name, String type, String help,
      ToDoubleFunction<AppView> value) {
    family(name, type, help);
    for (AppView a : apps) {
      double v = value.applyAsDouble(a);
      if (!Double.isNaN(v)) {
        sample(name, labels(a), v);
      }
    }
  }

  private static List<String[]> labels(AppView a, String... more) {
    List<String[]> l = new ArrayList<>();
    l.add(new String[] {"app", a.name()});
    l.add(new String[] {"pid", String.valueOf(a.pid())});
    for (int i = 0; i + 1 < more.length; i += 2) {
      l.add(new String[] {more[i], more[i + 1]});
    }
    return l;
  }

  private void family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ');
    escape(help, false);
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private void sample(String name, List<String[]> labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      for (int i = 0; i < labels.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        out.append(labels.get(i)[0]).append("=\"");
        escape(labels.get(i)[1], true);
        out.append('"');
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** Backslash and newline in HELP; also the double quote in label values (the format's only escapes). */
  private void escape(String s, boolean labelValue) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '"' && labelValue) {
        out.append("\\\"");
      } else {
        out.append(c);
      }
    }
  }
}
