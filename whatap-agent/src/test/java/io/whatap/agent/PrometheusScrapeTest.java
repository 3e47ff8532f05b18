package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.settings.AgentSettings;
import io.whatap.testing.Await;
import io.whatap.wire.WireWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's 2.42) scrapes the local agent's /metrics every second while an
 * application's transactions arrive over UDP with a known distribution of response times; the
 * quantiles Prometheus computes from our histograms (its own histogram_quantile over increase)
 * land in the buckets that distribution says.
 */
class PrometheusScrapeTest {
  private static final int PID = 4242;
  private static final String APP = "shop";
  private static LocalAgent agent;
  private static PrometheusServer prometheus;
  private static DatagramSocket socket;

  @BeforeAll
  static void start() throws Exception {
    agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_active_poll_ms", "0", "agent_metrics_legacy", "false")));
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    // the relabelling docs/prometheus.md gives for Grafana's JVM (Micrometer) dashboard
    prometheus = PrometheusServer.start("whatap", "127.0.0.1:" + agent.httpPort(), """
            metric_relabel_configs:
              - source_labels: [app]
                regex: (.+)
                target_label: application
              - source_labels: [instance_id]
                regex: (.+)
                target_label: instance
        """);
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (socket != null) {
      socket.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  private static void send(byte[] datagram) {
    try {
      socket.send(new DatagramPacket(datagram, datagram.length, InetAddress.getLoopbackAddress(), agent.udpPort()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Double query(String promql) {
    try {
      return prometheus.single(promql);
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("Prometheus stopped answering: " + e, e);
    }
  }

  @Test
  void prometheusComputesQuantilesFromOurHistogramsThatMatchTheTraffic() {
    // the application announces itself (a counter pack, as its counter thread sends every 5 s); its
    // histograms are exported from then on, empty, and scraped before any traffic
    send(Frames.counters(PID, APP, Map.of("heap_used", 50_000_000L, "heap_max", 200_000_000L, "threads", 21)));
    String countQuery = "whatap_transaction_duration_seconds_count{job=\"whatap\",app=\"" + APP + "\"}";
    Await.until("Prometheus to scrape the empty histogram", Duration.ofSeconds(30),
        () -> Double.valueOf(0).equals(query(countQuery)), prometheus::targets);

    // 980 transactions of 10 ms on /list, 20 of 800 ms on /checkout: p50 is in (9 ms, 10 ms], p99 in (700 ms, 800 ms]
    long now = System.currentTimeMillis();
    long txid = 1;
    for (int datagram = 0; datagram < 50; datagram++) {
      WireWriter w = new WireWriter(8192);
      for (int k = 0; k < 20; k++, txid++) {
        boolean slow = k < 2 && datagram % 5 == 0;
        String name = slow ? "/checkout" : "/list";
        Frames.start(w, txid, PID, now, name);
        Frames.end(w, txid, PID, now + (slow ? 800 : 10), name, 200);
      }
      send(w.toByteArray());
    }
    Await.until("Prometheus to scrape all 1,000 transactions", Duration.ofSeconds(30),
        () -> Double.valueOf(1000).equals(query(countQuery)),
        () -> "last value " + query(countQuery) + "; agent: " + agent.state().completed());

    String overall = "sum by (le) (increase(whatap_transaction_duration_seconds_bucket{app=\"" + APP + "\"}[1m]))";
    assertThat(query("histogram_quantile(0.99, " + overall + ")")).as("p99").isGreaterThan(0.7).isLessThanOrEqualTo(0.8);
    assertThat(query("histogram_quantile(0.5, " + overall + ")")).as("p50").isGreaterThan(0.009)
        .isLessThanOrEqualTo(0.01);
    // the per-name series appeared with the traffic (no earlier sample to take an increase from): since start
    String checkout = "sum by (le) (whatap_transaction_name_duration_seconds_bucket{name=\"/checkout\"})";
    assertThat(query("histogram_quantile(0.5, " + checkout + ")")).as("/checkout p50 (default buckets)")
        .isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
    assertThat(query("whatap_transaction_duration_seconds_sum{app=\"" + APP + "\"}")).isEqualTo(980 * 0.01 + 20 * 0.8,
        Offset.offset(1e-9));
    assertThat(query("jvm_memory_used_bytes{area=\"heap\",application=\"" + APP + "\",instance=\"" + APP
        + "@demo-host/java\"}")).as("as the Micrometer dashboard selects it").isEqualTo(50_000_000);
    assertThat(query("up{job=\"whatap\"}")).isEqualTo(1);
    assertThat(query("whatap_agent_datagrams_total{instance=\"127.0.0.1:" + agent.httpPort() + "\"}"))
        .as("the agent's own meters keep the target's instance").isGreaterThanOrEqualTo(51);
    assertThat(query("scrape_samples_scraped{job=\"whatap\"}")).as("the whole page was taken").isPositive();
  }
}
