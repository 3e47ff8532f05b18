package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.agent.http.MetricsText;
import io.whatap.agent.settings.AgentSettings;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The deprecated names of 0.1.0 on /metrics (agent_metrics_legacy, on by default), and the strict parser itself. */
class MetricsTextTest {
  private static final InetSocketAddress APP = new InetSocketAddress("127.0.0.1", 40001);
  private static final long T0 = 1_800_000_000_000L;
  private long now = T0 + 10;

  @Test
  void everyFamilyParsesAndAnAwkwardAppNameRoundTripsThroughEscaping() {
    AgentState s = new AgentState(AgentSettings.of(Map.of()), () -> now);
    String awkward = "shop \"blue\" \\ east\nline2";
    feed(s, Frames.counters(7, awkward, Map.of("cpu_pct", 12.5, "heap_used", 1_048_576L, "heap_max", 4_194_304L,
        "threads", 30, "gc_count", 4L, "gc_time_ms", 25L, "agent_tx_dropped", 3L, "agent_send_errors", 0L)));
    feed(s, Frames.of(w -> io.whatap.wire.PackEncoder.activeStats(w, new int[] {2, 1, 0, 0, 1})));
    feed(s, Frames.transaction(1, 7, T0, 40, "/a", false));
    feed(s, Frames.transaction(2, 7, T0, 60, "/a", true));
    feed(s, new byte[] {1, 2, 3});
    now = T0 + 5000;
    s.rollIfDue();

    Map<String, PrometheusTextParser.Family> f = PrometheusTextParser.parse(new MetricsText(s).render());
    Map<String, String> labels = Map.of("app", awkward, "pid", "7");
    assertThat(value(f, "whatap_transactions_total", labels)).isEqualTo(2);
    assertThat(value(f, "whatap_transaction_errors_total", labels)).isEqualTo(1);
    assertThat(value(f, "whatap_transaction_elapsed_milliseconds_total", labels)).isEqualTo(100);
    assertThat(value(f, "whatap_tps", labels)).isEqualTo(0.4);
    assertThat(value(f, "whatap_response_time_milliseconds", Map.of("app", awkward, "pid", "7", "stat", "avg")))
        .isEqualTo(50);
    assertThat(value(f, "whatap_response_time_milliseconds", Map.of("app", awkward, "pid", "7", "stat", "max")))
        .isEqualTo(60);
    assertThat(value(f, "whatap_active_transactions", Map.of("app", awkward, "pid", "7", "band", "4"))).isEqualTo(1);
    assertThat(value(f, "whatap_cpu_percent", labels)).isEqualTo(12.5);
    assertThat(value(f, "whatap_heap_used_bytes", labels)).isEqualTo(1_048_576);
    assertThat(value(f, "whatap_threads", labels)).isEqualTo(30);
    assertThat(value(f, "whatap_gc_collections_total", labels)).isEqualTo(4);
    assertThat(value(f, "whatap_gc_time_milliseconds_total", labels)).isEqualTo(25);
    assertThat(value(f, "whatap_app_transactions_dropped_total", labels)).isEqualTo(3);
    assertThat(value(f, "whatap_agent_malformed_datagrams_total", Map.of())).isEqualTo(1);
    assertThat(value(f, "whatap_agent_datagrams_total", Map.of())).isEqualTo(5);
    assertThat(f.get("whatap_tps").type).isEqualTo("gauge");
    assertThat(f.get("whatap_transactions_total").type).isEqualTo("counter");
    assertThat(f.values()).allSatisfy(fam -> assertThat(fam.help).isNotBlank());

    now = T0 + 120_000; // silent: its gauges are left out, its counters stay
    s.rollIfDue();
    Map<String, PrometheusTextParser.Family> later = PrometheusTextParser.parse(new MetricsText(s).render());
    assertThat(later.get("whatap_cpu_percent").samples).isEmpty();
    assertThat(value(later, "whatap_transactions_total", labels)).isEqualTo(2);
  }

  @Test
  void theParserIsStrict() {
    assertThatThrownBy(() -> PrometheusTextParser.parse("m{a=\"x\\q\"} 1\n")).hasMessageContaining("bad escape");
    assertThatThrownBy(() -> PrometheusTextParser.parse("m{a=x} 1\n")).hasMessageContaining("not quoted");
    assertThatThrownBy(() -> PrometheusTextParser.parse("m 1\n# TYPE m gauge\n")).hasMessageContaining("after");
    assertThatThrownBy(() -> PrometheusTextParser.parse("a 1\nb 1\na{x=\"1\"} 2\n")).hasMessageContaining("split");
    assertThatThrownBy(() -> PrometheusTextParser.parse("m 1\nm 2\n")).hasMessageContaining("duplicate");
    assertThatThrownBy(() -> PrometheusTextParser.parse("m one\n")).hasMessageContaining("bad value");
    assertThatThrownBy(() -> PrometheusTextParser.parse("# TYPE c counter\nc 1\n")).hasMessageContaining("_total");
    assertThatThrownBy(() -> PrometheusTextParser.parse("1m 1\n")).hasMessageContaining("metric name");
    assertThatThrownBy(() -> PrometheusTextParser.parse("m 1")).hasMessageContaining("newline");
    assertThat(PrometheusTextParser.parse("# HELP m a \\\\ b\\nc\n# TYPE m gauge\nm{a=\"q\\\"\"} NaN\n")
        .get("m").help).isEqualTo("a \\ b\nc");
  }

  private void feed(AgentState s, byte[] d) {
    s.accept(d, 0, d.length, APP);
  }

  static double value(Map<String, PrometheusTextParser.Family> families, String name, Map<String, String> labels) {
    PrometheusTextParser.Family f = families.get(name);
    assertThat(f).as(name).isNotNull();
    return f.samples.stream().filter(x -> x.labels().equals(labels)).findFirst()
        .orElseThrow(() -> new AssertionError(name + labels + " not in " + f.samples)).value();
  }
}
