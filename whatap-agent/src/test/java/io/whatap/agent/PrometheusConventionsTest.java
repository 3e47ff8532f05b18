package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.http.MetricsText;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.PackEncoder;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * /metrics by Prometheus's conventions, read by the strict parser: base units, histograms whose
 * buckets are cumulative and end in {@code +Inf = _count}, counters that never go down from one
 * scrape to the next, the instance identity without a pid, stale processes leaving, restarts keeping
 * their identity, the per-name cap with {@code name="other"}.
 */
class PrometheusConventionsTest {
  private static final InetSocketAddress APP = new InetSocketAddress("127.0.0.1", 40001);
  private static final InetSocketAddress APP2 = new InetSocketAddress("127.0.0.1", 40002);
  private static final long T0 = 1_800_000_000_000L;
  private static final Map<String, String> SHOP = Map.of("app", "shop", "host", "demo-host", "instance_id",
      "shop@demo-host/java");
  private long now = T0 + 10;
  private long txid = 1;

  private AgentState agent(Map<String, String> options) {
    return new AgentState(AgentSettings.of(options), () -> now);
  }

  private void feed(AgentState s, InetSocketAddress from, byte[] d) {
    s.accept(d, 0, d.length, from);
  }

  private void counters(AgentState s, InetSocketAddress from, int pid, String app) {
    feed(s, from, Frames.counters(pid, app, Map.of("cpu_pct", 12.5, "cpu_cores", 4, "heap_used", 1_048_576L,
        "heap_max", 4_194_304L, "threads", 30, "gc_count", 4L, "gc_time_ms", 25L, "agent_tx_dropped", 3L,
        "agent_send_errors", 0L)));
  }

  private void tx(AgentState s, InetSocketAddress from, int pid, String name, int elapsedMs, boolean error) {
    feed(s, from, Frames.transaction(txid++, pid, now, elapsedMs, name, error));
  }

  private static Map<String, PrometheusTextParser.Family> parse(MetricsText m) {
    Map<String, PrometheusTextParser.Family> f = PrometheusTextParser.parse(m.render());
    f.values().forEach(PrometheusConventionsTest::checkHistogram);
    return f;
  }

  @Test
  void baseUnitsHistogramsAndJvmNamesWithAnInstanceIdentityInsteadOfAPid() {
    AgentState s = agent(Map.of());
    MetricsText m = new MetricsText(s);
    counters(s, APP, 7, "shop");
    feed(s, APP, Frames.of(w -> PackEncoder.activeStats(w, new int[] {2, 1, 0, 0, 1})));
    tx(s, APP, 7, "/a", 40, false);
    tx(s, APP, 7, "/a", 60, true);
    tx(s, APP, 7, "/b", 1500, false);
    now += 5000;
    s.rollIfDue();

    Map<String, PrometheusTextParser.Family> f = parse(m);
    assertThat(f.get("whatap_transaction_duration_seconds").type).isEqualTo("histogram");
    assertThat(value(f, "whatap_transaction_duration_seconds_count", SHOP)).isEqualTo(3);
    assertThat(value(f, "whatap_transaction_duration_seconds_sum", SHOP)).isEqualTo(1.6);
    assertThat(value(f, "whatap_transaction_duration_seconds_bucket", with(SHOP, "le", "0.04"))).isEqualTo(1);
    assertThat(value(f, "whatap_transaction_duration_seconds_bucket", with(SHOP, "le", "0.06"))).isEqualTo(2);
    assertThat(value(f, "whatap_transaction_duration_seconds_bucket", with(SHOP, "le", "1.4"))).isEqualTo(2);
    assertThat(value(f, "whatap_transaction_duration_seconds_bucket", with(SHOP, "le", "1.6"))).isEqualTo(3);
    assertThat(value(f, "whatap_transaction_failures_total", SHOP)).isEqualTo(1);
    Map<String, String> a = with(SHOP, "name", "/a");
    assertThat(value(f, "whatap_transaction_name_duration_seconds_count", a)).isEqualTo(2);
    assertThat(value(f, "whatap_transaction_name_duration_seconds_bucket", with(a, "le", "0.05"))).isEqualTo(1);
    assertThat(value(f, "whatap_transaction_name_duration_seconds_bucket", with(a, "le", "0.1"))).isEqualTo(2);
    assertThat(value(f, "whatap_transaction_name_failures_total", a)).isEqualTo(1);
    assertThat(value(f, "whatap_transaction_name_duration_seconds_sum", with(SHOP, "name", "/b"))).isEqualTo(1.5);
    assertThat(f.get("whatap_transaction_name_duration_seconds").samples.stream()
        .filter(x -> x.name().endsWith("_bucket") && x.labels().get("name").equals("/a")).count())
        .as("Prometheus's default buckets and +Inf").isEqualTo(12);

    // active bands as le in seconds, cumulative (the applications' default active_bands_ms)
    assertThat(value(f, "whatap_transactions_in_flight", with(SHOP, "le", "1"))).isEqualTo(2);
    assertThat(value(f, "whatap_transactions_in_flight", with(SHOP, "le", "3"))).isEqualTo(3);
    assertThat(value(f, "whatap_transactions_in_flight", with(SHOP, "le", "15"))).isEqualTo(3);
    assertThat(value(f, "whatap_transactions_in_flight", with(SHOP, "le", "+Inf"))).isEqualTo(4);

    assertThat(value(f, "process_cpu_usage", SHOP)).isEqualTo(0.125);
    assertThat(value(f, "system_cpu_count", SHOP)).isEqualTo(4);
    assertThat(value(f, "jvm_memory_used_bytes", with(SHOP, "area", "heap"))).isEqualTo(1_048_576);
    assertThat(value(f, "jvm_memory_max_bytes", with(SHOP, "area", "heap"))).isEqualTo(4_194_304);
    assertThat(value(f, "jvm_threads_live_threads", SHOP)).isEqualTo(30);
    assertThat(f.get("jvm_gc_pause_seconds").type).isEqualTo("summary");
    assertThat(value(f, "jvm_gc_pause_seconds_count", SHOP)).isEqualTo(4);
    assertThat(value(f, "jvm_gc_pause_seconds_sum", SHOP)).isEqualTo(0.025);
    assertThat(value(f, "whatap_sender_dropped_transactions_total", SHOP)).isEqualTo(3);
    assertThat(value(f, "whatap_instance_info", with(with(SHOP, "process", "java"), "pid", "7"))).isEqualTo(1);
    assertThat(value(f, "whatap_instance_last_seen_timestamp_seconds", SHOP)).isEqualTo((T0 + 10) / 1000.0);

    // only the info metric carries the pid; every new family of a process has the three identity labels
    for (PrometheusTextParser.Family fam : f.values()) {
      assertThat(fam.help).as(fam.name).isNotBlank();
      boolean legacy = fam.help.contains("Deprecated");
      for (PrometheusTextParser.Sample x : fam.samples) {
        if (!legacy && !fam.name.equals("whatap_instance_info")) {
          assertThat(x.labels()).as(x.toString()).doesNotContainKey("pid");
        }
        if (!legacy && x.labels().containsKey("app")) {
          assertThat(x.labels()).as(x.toString()).containsAllEntriesOf(SHOP);
        }
      }
    }
    // the deprecated names are still there (agent_metrics_legacy defaults to true), with their pid
    assertThat(value(f, "whatap_transactions_total", Map.of("app", "shop", "pid", "7"))).isEqualTo(3);
    assertThat(f.get("whatap_tps").help).contains("Deprecated").contains("rate(");
  }

  @Test
  void countersAndBucketsNeverGoDownFromOneScrapeToTheNext() {
    AgentState s = agent(Map.of("agent_metrics_names_max", "2"));
    MetricsText m = new MetricsText(s);
    Map<String, Double> before = new HashMap<>();
    int[] elapsed = {3, 11, 95, 480, 2600, 400_000};
    for (int round = 0; round < 8; round++) {
      counters(s, APP, 7, "shop");
      for (int k = 0; k <= round; k++) {
        tx(s, APP, 7, "/n" + ((round + k) % 4), elapsed[(round * 3 + k) % elapsed.length], k % 3 == 0);
      }
      now += 2500; // scrapes in the open interval and after it closes
      s.rollIfDue();
      Map<String, Double> after = cumulativeSeries(parse(m));
      assertThat(after).isNotEmpty();
      for (Map.Entry<String, Double> e : before.entrySet()) {
        assertThat(after).as("still exported").containsKey(e.getKey());
        assertThat(after.get(e.getKey())).as(e.getKey() + " in round " + round).isGreaterThanOrEqualTo(e.getValue());
      }
      before = after;
    }
    assertThat(before.get("whatap_transaction_duration_seconds_count" + new TreeMap<>(SHOP))).isEqualTo(36);
  }

  @Test
  void namesBeyondTheCapAreOneOtherSeriesAndTheChosenNamesStay() {
    AgentState s = agent(Map.of("agent_metrics_names_max", "3", "agent_metrics_legacy", "false"));
    MetricsText m = new MetricsText(s);
    counters(s, APP, 7, "shop");
    for (String name : List.of("/first", "other", "/second", "/third", "/fourth", "/fifth")) {
      tx(s, APP, 7, name, 20, false);
    }
    tx(s, APP, 7, "/fifth", 20, true);
    Map<String, PrometheusTextParser.Family> f = parse(m);
    Map<String, Double> counts = f.get("whatap_transaction_name_duration_seconds").samples.stream()
        .filter(x -> x.name().endsWith("_count"))
        .collect(Collectors.toMap(x -> x.labels().get("name"), PrometheusTextParser.Sample::value));
    // a real transaction named "other" is counted with the rest rather than given a second series
    assertThat(counts).containsOnlyKeys("/first", "/second", "/third", "other").containsEntry("other", 4.0);
    assertThat(counts.values().stream().mapToDouble(Double::doubleValue).sum())
        .isEqualTo(value(f, "whatap_transaction_duration_seconds_count", SHOP));
    assertThat(value(f, "whatap_transaction_name_failures_total", with(SHOP, "name", "other"))).isEqualTo(1);

    tx(s, APP, 7, "/sixth", 20, false);
    tx(s, APP, 7, "/third", 20, false);
    Map<String, PrometheusTextParser.Family> later = parse(m);
    assertThat(value(later, "whatap_transaction_name_duration_seconds_count", with(SHOP, "name", "/third")))
        .isEqualTo(2);
    assertThat(value(later, "whatap_transaction_name_duration_seconds_count", with(SHOP, "name", "other")))
        .isEqualTo(5);
  }

  @Test
  void aProcessNotHeardFromLeavesAfterTheStaleTimeout() {
    AgentState s = agent(Map.of("agent_metrics_stale_sec", "30"));
    MetricsText m = new MetricsText(s);
    counters(s, APP, 7, "shop");
    tx(s, APP, 7, "/a", 10, false);
    assertThat(parse(m).get("whatap_transaction_duration_seconds").samples).isNotEmpty();
    now += 30_000;
    s.rollIfDue();
    assertThat(value(parse(m), "whatap_transaction_duration_seconds_count", SHOP)).isEqualTo(1);
    now += 1;
    s.rollIfDue();
    Map<String, PrometheusTextParser.Family> gone = parse(m);
    for (String name : List.of("whatap_transaction_duration_seconds", "whatap_instance_info", "jvm_gc_pause_seconds",
        "whatap_transaction_failures_total", "whatap_transaction_name_duration_seconds")) {
      assertThat(gone.get(name).samples).as(name).isEmpty();
    }
    assertThat(value(gone, "whatap_agent_completed_transactions_total", Map.of())).isEqualTo(1);
  }

  @Test
  void aRestartedProcessKeepsTheIdentityAndASecondOneAtOnceGetsItsOwn() {
    AgentState s = agent(Map.of("agent_metrics_legacy", "false"));
    MetricsText m = new MetricsText(s);
    counters(s, APP, 7, "shop");
    tx(s, APP, 7, "/a", 10, false);
    tx(s, APP, 7, "/a", 10, false);
    assertThat(value(parse(m), "whatap_instance_info", info(7, SHOP))).isEqualTo(1);

    now += 4000; // pid 7 exits; pid 8, the same app on the same host, starts
    counters(s, APP2, 8, "shop");
    tx(s, APP2, 8, "/a", 10, false);
    Map<String, PrometheusTextParser.Family> undecided = parse(m);
    assertThat(value(undecided, "whatap_transaction_duration_seconds_count", SHOP)).as("the old one, until it is"
        + " known whether the new one replaces it").isEqualTo(2);
    assertThat(undecided.get("whatap_instance_info").samples).hasSize(1);

    now += 12_000; // pid 7 silent for 16 s: pid 8 was its restart
    counters(s, APP2, 8, "shop");
    Map<String, PrometheusTextParser.Family> restarted = parse(m);
    assertThat(restarted.get("whatap_instance_info").samples).extracting(PrometheusTextParser.Sample::labels)
        .containsExactly(info(8, SHOP));
    assertThat(value(restarted, "whatap_transaction_duration_seconds_count", SHOP)).isEqualTo(1);
    now += 1000;
    assertThat(parse(m).get("whatap_instance_info").samples).as("the one replaced does not come back while silent")
        .extracting(PrometheusTextParser.Sample::labels).containsExactly(info(8, SHOP));

    // pid 9 starts while pid 8 is heard: a second instance, told apart by its slot
    InetSocketAddress app3 = new InetSocketAddress("127.0.0.1", 40003);
    now += 1000;
    counters(s, app3, 9, "shop");
    now += 1000;
    counters(s, APP2, 8, "shop");
    now += 20_000;
    counters(s, APP2, 8, "shop");
    counters(s, app3, 9, "shop");
    Map<String, String> second = Map.of("app", "shop", "host", "demo-host", "instance_id", "shop@demo-host/java#2");
    Map<String, PrometheusTextParser.Family> two = parse(m);
    assertThat(two.get("whatap_instance_info").samples).extracting(PrometheusTextParser.Sample::labels)
        .containsExactlyInAnyOrder(info(8, SHOP), info(9, second));
    // pid 7 does not come back while silent
    assertThat(two.get("whatap_instance_info").samples).noneMatch(x -> x.labels().get("pid").equals("7"));
  }

  @Test
  void withoutLegacyOnlyTheNewNamesAreExported() {
    AgentState s = agent(Map.of("agent_metrics_legacy", "false"));
    counters(s, APP, 7, "shop");
    tx(s, APP, 7, "/a", 10, false);
    now += 5000;
    s.rollIfDue();
    Map<String, PrometheusTextParser.Family> f = parse(new MetricsText(s));
    assertThat(f).doesNotContainKeys("whatap_transactions_total", "whatap_tps", "whatap_response_time_milliseconds",
        "whatap_active_transactions", "whatap_cpu_percent", "whatap_heap_used_bytes", "whatap_gc_time_milliseconds_total");
    assertThat(f.values()).allSatisfy(fam -> assertThat(fam.help).doesNotContain("Deprecated"));
    assertThat(value(f, "whatap_transaction_duration_seconds_count", SHOP)).isEqualTo(1);
  }

  @Test
  void theInFlightBoundsAreTheApplicationsOwnWhenItsConfigurationGivesThem() {
    AgentState s = agent(Map.of());
    counters(s, APP, 7, "shop");
    feed(s, APP, Frames.of(w -> PackEncoder.txParam(w, "4", "1", "app_name=shop\nactive_bands_ms=500,2000\n")));
    feed(s, APP, Frames.of(w -> PackEncoder.activeStats(w, new int[] {1, 2, 3})));
    Map<String, PrometheusTextParser.Family> f = parse(new MetricsText(s));
    assertThat(f.get("whatap_transactions_in_flight").samples).extracting(x -> x.labels().get("le") + "=" + x.value())
        .containsExactly("0.5=1.0", "2=3.0", "+Inf=6.0");
  }

  @Test
  void longNamesAreCutInLabelsWithoutTwoSeriesBecomingOne() {
    AgentState s = agent(Map.of("agent_metrics_legacy", "false"));
    String app = "shop-" + "\u5e97".repeat(3000);
    String common = "/orders/" + "x".repeat(300);
    counters(s, APP, 7, app);
    tx(s, APP, 7, common + "/a", 10, false);
    tx(s, APP, 7, common + "/b", 10, false);
    Map<String, PrometheusTextParser.Family> f = parse(new MetricsText(s));
    List<PrometheusTextParser.Sample> counts = f.get("whatap_transaction_name_duration_seconds").samples.stream()
        .filter(x -> x.name().endsWith("_count")).toList();
    assertThat(counts).hasSize(2).allSatisfy(x -> assertThat(x.labels().values())
        .allSatisfy(v -> assertThat(v.length()).isLessThanOrEqualTo(128)));
    assertThat(counts.get(0).labels().get("name")).startsWith("/orders/xxx").contains("…")
        .isNotEqualTo(counts.get(1).labels().get("name"));
    assertThat(counts.get(0).labels().get("app")).startsWith("shop-\u5e97").hasSize(128);
  }

  private static Map<String, String> info(int pid, Map<String, String> id) {
    return with(with(id, "process", "java"), "pid", String.valueOf(pid));
  }

  /** Every counter sample and every histogram/summary sample, by name and labels. */
  private static Map<String, Double> cumulativeSeries(Map<String, PrometheusTextParser.Family> families) {
    Map<String, Double> out = new HashMap<>();
    for (PrometheusTextParser.Family f : families.values()) {
      if (f.type.equals("counter") || f.type.equals("histogram") || f.type.equals("summary")) {
        for (PrometheusTextParser.Sample x : f.samples) {
          out.put(x.name() + new TreeMap<>(x.labels()), x.value());
        }
      }
    }
    return out;
  }

  /** Buckets ascending in le, their counts never decreasing, +Inf present and equal to _count, _sum present. */
  static void checkHistogram(PrometheusTextParser.Family f) {
    if (!f.type.equals("histogram")) {
      return;
    }
    Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
    Map<Map<String, String>, Double> counts = new HashMap<>();
    Map<Map<String, String>, Double> sums = new HashMap<>();
    for (PrometheusTextParser.Sample x : f.samples) {
      Map<String, String> series = new TreeMap<>(x.labels());
      if (x.name().endsWith("_bucket")) {
        double le = Double.parseDouble(series.remove("le").replace("+Inf", "Infinity"));
        buckets.computeIfAbsent(series, k -> new TreeMap<>()).put(le, x.value());
      } else if (x.name().endsWith("_count")) {
        counts.put(series, x.value());
      } else {
        sums.put(series, x.value());
      }
    }
    assertThat(buckets.keySet()).as(f.name).isEqualTo(counts.keySet()).isEqualTo(sums.keySet());
    for (Map.Entry<Map<String, String>, TreeMap<Double, Double>> e : buckets.entrySet()) {
      double previous = 0;
      for (double c : e.getValue().values()) {
        assertThat(c).as(f.name + e.getKey() + " cumulative").isGreaterThanOrEqualTo(previous);
        previous = c;
      }
      assertThat(e.getValue().lastKey()).isEqualTo(Double.POSITIVE_INFINITY);
      assertThat(e.getValue().lastEntry().getValue()).as(f.name + e.getKey() + " +Inf = _count")
          .isEqualTo(counts.get(e.getKey()));
    }
  }

  static Map<String, String> with(Map<String, String> labels, String name, String value) {
    Map<String, String> out = new HashMap<>(labels);
    out.put(name, value);
    return out;
  }

  static double value(Map<String, PrometheusTextParser.Family> families, String sample, Map<String, String> labels) {
    PrometheusTextParser.Sample found = families.values().stream().flatMap(f -> f.samples.stream())
        .filter(x -> x.name().equals(sample) && x.labels().equals(labels)).findFirst()
        .orElseThrow(() -> new AssertionError(sample + labels + " not exported"));
    return found.value();
  }
}
