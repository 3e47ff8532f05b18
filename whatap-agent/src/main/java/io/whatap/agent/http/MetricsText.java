package io.whatap.agent.http;

import io.whatap.agent.intervals.Histogram;
import io.whatap.agent.intervals.Stats;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.query.AppMetrics;
import io.whatap.agent.query.AppView;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.store.StoreWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * /metrics: the Prometheus text exposition format (version 0.0.4) of the agent's own meters and of
 * every application process, by Prometheus's conventions (docs/prometheus.md): base units
 * (seconds, bytes, ratios), counters ending in {@code _total} that only grow while the agent and
 * the process live, response time as real histograms per application and per transaction name,
 * the JVM under Micrometer's {@code jvm_*}/{@code process_*} names, and each process labelled
 * {@code app}, {@code host}, {@code instance_id} ({@link InstanceIdentities}) rather than by pid.
 * With agent_metrics_legacy the deprecated names of 0.1.0 follow ({@link DeprecatedMetrics}).
 *
 * <p>One object per HTTP server: which slot each process holds is kept across scrapes.
 */
public final class MetricsText {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** The transaction-name label of everything beyond agent_metrics_names_max. */
  public static final String OTHER_NAMES = "other";

  /** Every bound of the agent's histogram: the per-application histogram has them all. */
  private static final int[] ALL_BOUNDS;
  private static final String[] ALL_LE;
  /**
   * Prometheus's default buckets (5 ms .. 10 s), all bounds of the agent's histogram: the
   * per-name histogram has these only, 12 buckets a name instead of 70.
   */
  private static final int[] NAME_BOUNDS;
  private static final String[] NAME_LE;

  static {
    ALL_BOUNDS = new int[Histogram.buckets() - 1];
    for (int i = 0; i < ALL_BOUNDS.length; i++) {
      ALL_BOUNDS[i] = i;
    }
    ALL_LE = le(ALL_BOUNDS);
    long[] defaults = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000};
    NAME_BOUNDS = new int[defaults.length];
    int k = 0;
    for (int i = 0; i < Histogram.buckets() - 1 && k < defaults.length; i++) {
      if (Histogram.upperBoundMs(i) == defaults[k]) {
        NAME_BOUNDS[k++] = i;
      }
    }
    if (k != defaults.length) {
      throw new IllegalStateException("the histogram lost a bound of Prometheus's default buckets");
    }
    NAME_LE = le(NAME_BOUNDS);
  }

  private static String[] le(int[] buckets) {
    String[] out = new String[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      out[i] = ExpositionWriter.format(Histogram.upperBoundMs(buckets[i]) / 1000.0);
    }
    return out;
  }

  /** The default active_bands_ms of the applications, for those whose configuration does not say. */
  private static final int[] DEFAULT_BAND_BOUNDS_MS = {1000, 3000, 8000, 15000};

  private final AgentQuery state;
  private final AgentSettings settings;
  private final InstanceIdentities identities;

  public MetricsText(AgentQuery state) {
    this(state, InstanceIdentities.localHostName());
  }

  /** @param localHost the host label of a process that did not say its host */
  MetricsText(AgentQuery state, String localHost) {
    this.state = state;
    this.settings = state.settings();
    this.identities = new InstanceIdentities(settings.metricsStaleMs, settings.liveWindowMs(), localHost);
  }

  public String render() {
    return render(null);
  }

  /** The exposition, with the HTTP side's meters when {@code guard} is given. */
  public String render(HttpGuard guard) {
    ExpositionWriter w = new ExpositionWriter();
    if (guard != null) {
      w.single("whatap_agent_http_refused_host_total", "counter",
          "HTTP requests answered 421: a Host this agent is not known by (DNS rebinding).", guard.refusedHost.sum());
      w.single("whatap_agent_http_refused_origin_total", "counter",
          "HTTP requests answered 403: a foreign Origin.", guard.refusedOrigin.sum());
      w.single("whatap_agent_http_connections_refused_total", "counter",
          "HTTP connections closed at once: agent_http_connections_max were open.", guard.connectionsRefused.sum());
      w.single("whatap_agent_http_request_timeouts_total", "counter",
          "HTTP connections closed for sending no whole request within agent_http_request_timeout_sec of opening"
              + " or of the previous answer (slow clients; kept-alive connections left unused).",
          guard.requestTimeouts.sum());
      w.single("whatap_agent_http_connections", "gauge", "HTTP connections open.", guard.connectionsOpen());
    }
    agentMeters(w, state);
    long now = state.now();
    List<AppMetrics> all = state.appMetrics(settings.metricsNamesMax, OTHER_NAMES);
    List<AppView> views = new ArrayList<>(all.size());
    for (AppMetrics m : all) {
      views.add(m.app());
    }
    Map<Integer, InstanceIdentities.Identity> ids = identities.assign(views, now);
    List<Instance> instances = new ArrayList<>();
    for (AppMetrics m : all) {
      InstanceIdentities.Identity id = ids.get(m.app().id());
      if (id != null) {
        instances.add(new Instance(m, id.labels()));
      }
    }
    instances(w, instances, now - settings.liveWindowMs());
    if (settings.metricsLegacy) {
      DeprecatedMetrics.write(w, views, now - settings.liveWindowMs());
    }
    return w.text();
  }

  /** One exported process: its figures and its labels. */
  private record Instance(AppMetrics m, String[] labels) {
    AppView app() {
      return m.app();
    }
  }

  private static void agentMeters(ExpositionWriter w, AgentQuery s) {
    w.single("whatap_agent_datagrams_total", "counter", "Datagrams received on the UDP port.", s.datagrams.sum());
    w.single("whatap_agent_received_bytes_total", "counter", "Bytes received on the UDP port.", s.bytes.sum());
    w.single("whatap_agent_frames_total", "counter", "Frames decoded (known and unknown types).", s.frames.sum());
    w.single("whatap_agent_malformed_datagrams_total", "counter",
        "Datagrams with a malformed frame (the frames before it were used).", s.malformed.sum());
    w.single("whatap_agent_oversized_datagrams_total", "counter",
        "Datagrams over agent_udp_max_bytes, dropped undecoded.", s.oversized.sum());
    w.single("whatap_agent_unknown_frames_total", "counter", "Frames of unknown type or layout family, skipped.",
        s.unknownFrames.sum());
    w.single("whatap_agent_unattributed_packs_total", "counter",
        "Packs without a pid from an address no application was seen at, dropped.", s.unattributed.sum());
    w.single("whatap_agent_relay_other_total", "counter", "Relay packs other than app_counter, ignored.",
        s.relayOther.sum());
    w.single("whatap_agent_pending_evicted_total", "counter",
        "Unfinished transactions dropped because agent_pending_max was reached.", s.pendingEvicted.sum());
    w.single("whatap_agent_pending_expired_total", "counter",
        "Unfinished transactions dropped after agent_pending_timeout_ms.", s.pendingExpired.sum());
    w.single("whatap_agent_starts_missing_total", "counter", "Transactions that ended without a TX_START seen.",
        s.startsMissing.sum());
    w.single("whatap_agent_steps_dropped_total", "counter", "Profile steps over agent_profile_steps_max, dropped.",
        s.stepsDropped.sum());
    w.single("whatap_agent_apps_evicted_total", "counter",
        "Applications forgotten because agent_apps_max was reached.", s.appsEvicted.sum());
    w.single("whatap_agent_backchannel_requests_total", "counter", "Back-channel requests sent to applications.",
        s.backChannelRequests.sum());
    w.single("whatap_agent_backchannel_send_errors_total", "counter",
        "Back-channel requests that could not be sent.", s.backChannelSendErrors.sum());
    w.single("whatap_agent_receive_errors_total", "counter",
        "Failures to receive or apply a datagram (each costs it).", s.receiveErrors.sum());
    w.single("whatap_agent_completed_transactions_total", "counter",
        "Transactions received in full (all applications); in stats mode the others arrive as statistics rows"
        + " and are counted in whatap_transaction_duration_seconds only.", s.completed());
    w.single("whatap_agent_stats_rows_total", "counter",
        "Statistics rows (name, status class, interval) applications in stats mode computed themselves.",
        s.statsRows.sum());
    w.single("whatap_agent_stats_hitmap_slots_total", "counter",
        "Hitmap seconds applications in stats mode computed themselves.", s.statsHitmapSlots.sum());
    w.single("whatap_agent_pending_evicted_memory_total", "counter",
        "Unfinished transactions dropped (oldest first) to stay within agent_pending_memory_mb.",
        s.pendingEvictedForMemory.sum());
    w.single("whatap_agent_steps_dropped_memory_total", "counter",
        "Profile steps dropped because their transaction reached agent_tx_memory_kb.", s.stepsDroppedForMemory.sum());
    w.single("whatap_agent_names_folded_total", "counter",
        "Transaction names counted under (other names): agent_names_max or agent_names_memory_mb reached.",
        s.namesFolded.sum());
    w.single("whatap_agent_bands_dropped_total", "counter", "ACTIVE_STATS bands beyond agent_bands_max, not kept.",
        s.bandsDropped.sum());
    w.single("whatap_agent_counter_fields_dropped_total", "counter",
        "Counter-pack fields beyond agent_counter_fields_max or the application's share of agent_app_memory_kb.",
        s.counterFieldsDropped.sum());
    w.single("whatap_agent_active_entries_dropped_total", "counter",
        "Active-list entries beyond agent_active_list_max or the application's share of agent_app_memory_kb.",
        s.activeEntriesDropped.sum());
    w.single("whatap_agent_unsigned_datagrams_total", "counter",
        "Datagrams without a valid signature while net_udp_secret is set, dropped.", s.unsigned.sum());
    StoreWriter store = s.storeWriter();
    if (store != null) {
      w.single("whatap_agent_store_dropped_total", "counter",
          "Completed transactions not written to the store: its queue was full (agent_store_queue_mb).",
          store.dropped.sum());
      w.single("whatap_agent_store_intervals_dropped_total", "counter",
          "Closed intervals not written to the store: its queue was full.", store.intervalsDropped.sum());
      w.single("whatap_agent_store_write_errors_total", "counter", "Failed writes to the store (logged).",
          store.writeErrors.sum());
      w.single("whatap_agent_store_commits_total", "counter", "Intervals committed to the store.", store.commits.sum());
      w.single("whatap_agent_store_deleted_for_size_total", "counter",
          "Rows deleted (oldest first) to keep the store under agent_store_max_mb.", store.store().deletedForSize());
      w.single("whatap_agent_store_bytes", "gauge", "Bytes the store's files take on disk (the database and its log).",
          store.store().fileBytes());
    }
    w.single("whatap_agent_pending_transactions", "gauge", "Transactions started but not yet ended.",
        s.pendingCount());
    w.single("whatap_agent_pending_bytes", "gauge",
        "Estimated bytes held by unfinished transactions (bounded by agent_pending_memory_mb).", s.pendingBytes());
    w.single("whatap_agent_names_bytes", "gauge",
        "Estimated bytes held by per-name statistics (bounded by agent_names_memory_mb).", s.namesBytes());
  }

  private void instances(ExpositionWriter w, List<Instance> instances, long fresh) {
    w.family("whatap_instance_info", "gauge",
        "1 for every application process exported; its pid and process name (app_process_name) as labels.");
    for (Instance i : instances) {
      String[] l = java.util.Arrays.copyOf(i.labels(), i.labels().length + 2);
      l[l.length - 2] = "process";
      l[l.length - 1] = i.app().process();
      w.sample("whatap_instance_info", l, "pid", String.valueOf(i.app().pid()), 1);
    }
    gauge(w, instances, "whatap_instance_last_seen_timestamp_seconds",
        "When the process was last heard from (Unix time).", a -> a.lastHeard() / 1000.0);

    w.family("whatap_transaction_duration_seconds", "histogram",
        "Response time of every transaction of the process since the agent first heard it.");
    for (Instance i : instances) {
      w.histogram("whatap_transaction_duration_seconds", i.labels(), i.m().total(), ALL_BOUNDS, ALL_LE);
    }
    w.family("whatap_transaction_failures_total", "counter",
        "Transactions that ended with an error (an exception or an error status).");
    for (Instance i : instances) {
      w.sample("whatap_transaction_failures_total", i.labels(), null, null, i.m().total().errors);
    }
    if (settings.metricsNamesMax > 0) {
      w.family("whatap_transaction_name_duration_seconds", "histogram",
          "Response time per transaction name; the names beyond agent_metrics_names_max are name=\"other\".");
      for (Instance i : instances) {
        for (Map.Entry<String, Stats> e : i.m().names().entrySet()) {
          w.histogram("whatap_transaction_name_duration_seconds", withName(i, e.getKey()), e.getValue(), NAME_BOUNDS,
              NAME_LE);
        }
      }
      w.family("whatap_transaction_name_failures_total", "counter",
          "Transactions that ended with an error, per transaction name (as whatap_transaction_name_duration_seconds).");
      for (Instance i : instances) {
        for (Map.Entry<String, Stats> e : i.m().names().entrySet()) {
          w.sample("whatap_transaction_name_failures_total", withName(i, e.getKey()), null, null, e.getValue().errors);
        }
      }
    }

    w.family("whatap_transactions_in_flight", "gauge",
        "Transactions running now (last ACTIVE_STATS), cumulative by how long they have run: le in seconds.");
    for (Instance i : instances) {
      inFlight(w, i);
    }

    gauge(w, instances, "process_cpu_usage", "Recent CPU use of the process, 0..1 of the machine's CPUs.",
        a -> a.countersAt() >= fresh ? number(a, "cpu_pct") / 100.0 : Double.NaN);
    gauge(w, instances, "system_cpu_count", "Processors available to the JVM.",
        a -> a.countersAt() >= fresh ? number(a, "cpu_cores") : Double.NaN);
    w.family("jvm_memory_used_bytes", "gauge", "Memory used (area=heap: the whole heap).");
    for (Instance i : instances) {
      double v = i.app().countersAt() >= fresh ? number(i.app(), "heap_used") : Double.NaN;
      if (v >= 0) {
        w.sample("jvm_memory_used_bytes", i.labels(), "area", "heap", v);
      }
    }
    w.family("jvm_memory_max_bytes", "gauge", "Memory the JVM may use at most (area=heap: -Xmx).");
    for (Instance i : instances) {
      double v = i.app().countersAt() >= fresh ? number(i.app(), "heap_max") : Double.NaN;
      if (v >= 0) {
        w.sample("jvm_memory_max_bytes", i.labels(), "area", "heap", v);
      }
    }
    gauge(w, instances, "jvm_threads_live_threads", "Live threads, daemon and not.",
        a -> a.countersAt() >= fresh ? number(a, "threads") : Double.NaN);
    w.family("jvm_gc_pause_seconds", "summary",
        "Garbage collections and their time, every collector together, since the agent first heard the process.");
    for (Instance i : instances) {
      w.sample("jvm_gc_pause_seconds_count", i.labels(), null, null, i.app().gcCountTotal());
      w.sample("jvm_gc_pause_seconds_sum", i.labels(), null, null, i.app().gcTimeTotal() / 1000.0);
    }
    counter(w, instances, "whatap_sender_dropped_transactions_total",
        "Transactions the process's agent dropped because its send queue was full.",
        a -> number(a, "agent_tx_dropped"));
    counter(w, instances, "whatap_sender_send_errors_total", "UDP send errors in the process's agent.",
        a -> number(a, "agent_send_errors"));
  }

  /** Cumulative counts of the bands: band k holds those running up to bound k; the last band is +Inf. */
  private static void inFlight(ExpositionWriter w, Instance i) {
    int[] bands = i.app().bands();
    if (bands.length == 0) {
      return;
    }
    int[] bounds = i.app().bandBoundsMs() != null ? i.app().bandBoundsMs() : DEFAULT_BAND_BOUNDS_MS;
    long cumulative = 0;
    boolean known = bounds.length == bands.length - 1;
    for (int b = 0; b < bands.length; b++) {
      cumulative += bands[b];
      if (known && b < bounds.length) {
        w.sample("whatap_transactions_in_flight", i.labels(), "le", ExpositionWriter.format(bounds[b] / 1000.0),
            cumulative);
      }
    }
    w.sample("whatap_transactions_in_flight", i.labels(), "le", "+Inf", cumulative);
  }

  private static String[] withName(Instance i, String name) {
    String[] l = java.util.Arrays.copyOf(i.labels(), i.labels().length + 2);
    l[l.length - 2] = "name";
    l[l.length - 1] = name;
    return l;
  }

  private static double number(AppView a, String field) {
    Object v = a.counters().get(field);
    return v instanceof Number ? ((Number) v).doubleValue() : Double.NaN;
  }

  private static void gauge(ExpositionWriter w, List<Instance> instances, String name, String help,
      ToDoubleFunction<AppView> value) {
    family(w, instances, name, "gauge", help, value);
  }

  private static void counter(ExpositionWriter w, List<Instance> instances, String name, String help,
      ToDoubleFunction<AppView> value) {
    family(w, instances, name, "counter", help, value);
  }

  private static void family(ExpositionWriter w, List<Instance> instances, String name, String type, String help,
      ToDoubleFunction<AppView> value) {
    w.family(name, type, help);
    for (Instance i : instances) {
      double v = value.applyAsDouble(i.app());
      if (!Double.isNaN(v)) {
        w.sample(name, i.labels(), null, null, v);
      }
    }
  }
}
