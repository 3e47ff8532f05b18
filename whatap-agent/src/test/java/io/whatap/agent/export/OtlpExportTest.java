package io.whatap.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.whatap.agent.Frames;
import io.whatap.agent.LocalAgent;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.testing.Await;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What the OTLP exporter sends, parsed with the official OpenTelemetry protobuf classes in a test
 * collector: every field of the mapping present and typed as the semantic conventions say, gzip and
 * headers, and a collector that answers 503 first gets the batch again (nothing lost).
 */
class OtlpExportTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long ORDERS_TX = 0x0102_0304_0506_0708L;
  private static final long STOCK_TX = 0x1112_1314_1516_1718L;

  private static LocalAgent agent(TestCollector collector, String... more) throws Exception {
    Map<String, String> o = new HashMap<>(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_interval_ms", "1000", "export_otlp_endpoint", collector.url(), "agent_active_poll_ms", "0"));
    for (int i = 0; i + 1 < more.length; i += 2) {
      o.put(more[i], more[i + 1]);
    }
    return LocalAgent.start(AgentSettings.of(o));
  }

  private static void send(LocalAgent agent, byte[]... datagrams) throws Exception {
    try (DatagramSocket s = new DatagramSocket()) {
      for (byte[] d : datagrams) {
        s.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), agent.udpPort()));
      }
    }
  }

  private static List<Span> spans(List<TestCollector.Received> requests) {
    List<Span> out = new ArrayList<>();
    for (ResourceSpans rs : traces(requests)) {
      rs.getScopeSpansList().forEach(ss -> out.addAll(ss.getSpansList()));
    }
    return out;
  }

  private static List<ResourceSpans> traces(List<TestCollector.Received> requests) {
    List<ResourceSpans> out = new ArrayList<>();
    for (TestCollector.Received r : requests) {
      try {
        out.addAll(ExportTraceServiceRequest.parseFrom(r.body()).getResourceSpansList());
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError("not an ExportTraceServiceRequest", e);
      }
    }
    return out;
  }

  private static Map<String, AnyValue> attrs(List<KeyValue> kvs) {
    Map<String, AnyValue> m = new HashMap<>();
    kvs.forEach(kv -> m.put(kv.getKey(), kv.getValue()));
    return m;
  }

  private static long id(com.google.protobuf.ByteString b) {
    return ByteBuffer.wrap(b.toByteArray(), b.size() - 8, 8).getLong();
  }

  @Test
  void everyFieldIsThereAndTypedAndTheHeadersAndGzipGoWithIt() throws Exception {
    try (TestCollector collector = new TestCollector();
        LocalAgent agent = agent(collector, "export_otlp_headers", "Authorization=Bearer s3cret, x-tenant=acme")) {
      long t0 = System.currentTimeMillis();
      send(agent, Frames.counters(ExportTraffic.ORDERS_PID, "orders", Map.of("cpu_pct", 12.5, "heap_used", 1000L)),
          Frames.counters(ExportTraffic.STOCK_PID, "stock", Map.of()),
          ExportTraffic.orders(ORDERS_TX, STOCK_TX, t0, 500, true), ExportTraffic.stock(STOCK_TX, ORDERS_TX, ORDERS_TX, t0));
      List<Span> spans = Await.value("5 spans at /v1/traces", WAIT, () -> {
        List<Span> s = spans(collector.accepted("/v1/traces"));
        return s.size() >= 5 ? s : null;
      }, () -> collector.received.toString());
      assertThat(spans).hasSize(5);

      TestCollector.Received request = collector.accepted("/v1/traces").get(0);
      assertThat(request.header("Content-Type")).isEqualTo("application/x-protobuf");
      assertThat(request.header("Content-Encoding")).isEqualTo("gzip");
      assertThat(request.header("authorization")).isEqualTo("Bearer s3cret");
      assertThat(request.header("x-tenant")).isEqualTo("acme");

      Map<String, ResourceSpans> byService = new HashMap<>();
      for (ResourceSpans rs : traces(collector.accepted("/v1/traces"))) {
        Map<String, AnyValue> r = attrs(rs.getResource().getAttributesList());
        assertThat(r.get("host.name").getStringValue()).isNotEmpty();
        assertThat(r.get("service.instance.id").getStringValue()).isNotEmpty();
        assertThat(r.get("process.pid").getValueCase()).isEqualTo(AnyValue.ValueCase.INT_VALUE);
        byService.put(r.get("service.name").getStringValue(), rs);
        assertThat(rs.getScopeSpans(0).getScope().getName()).isEqualTo("io.whatap.agent");
      }
      assertThat(byService).containsOnlyKeys("orders", "stock");
      assertThat(attrs(byService.get("stock").getResource().getAttributesList()).get("process.pid").getIntValue())
          .isEqualTo(ExportTraffic.STOCK_PID);

      Span server = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER
          && s.getName().startsWith("GET /orders")).findFirst().orElseThrow();
      assertThat(server.getTraceId().size()).isEqualTo(16);
      assertThat(id(server.getTraceId())).isEqualTo(ORDERS_TX);
      assertThat(server.getSpanId().size()).isEqualTo(8);
      assertThat(server.getParentSpanId().isEmpty()).isTrue();
      assertThat(server.getStartTimeUnixNano()).isEqualTo(t0 * 1_000_000L);
      assertThat(server.getEndTimeUnixNano()).isEqualTo((t0 + 60) * 1_000_000L);
      Map<String, AnyValue> a = attrs(server.getAttributesList());
      assertThat(a.get("http.request.method").getStringValue()).isEqualTo("GET");
      assertThat(a.get("http.route").getStringValue()).isEqualTo("/orders/{id}");
      assertThat(a.get("url.path").getStringValue()).isEqualTo("/orders/7");
      assertThat(a.get("http.response.status_code").getValueCase()).isEqualTo(AnyValue.ValueCase.INT_VALUE);
      assertThat(a.get("http.response.status_code").getIntValue()).isEqualTo(500);
      assertThat(a.get("client.address").getStringValue()).isEqualTo("10.1.2.3");
      assertThat(a.get("user_agent.original").getStringValue()).isEqualTo("curl/8.5");
      assertThat(a.get("server.port").getIntValue()).isEqualTo(8080);
      assertThat(a.get("error.type").getStringValue()).isEqualTo("java.lang.IllegalStateException");
      assertThat(server.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(server.getStatus().getMessage()).isEqualTo("out of stock");
      assertThat(server.getEventsList()).hasSize(1);
      Span.Event e = server.getEvents(0);
      assertThat(e.getName()).isEqualTo("exception");
      assertThat(e.getTimeUnixNano()).isEqualTo((t0 + 55) * 1_000_000L);
      Map<String, AnyValue> ea = attrs(e.getAttributesList());
      assertThat(ea.get("exception.type").getStringValue()).isEqualTo("java.lang.IllegalStateException");
      assertThat(ea.get("exception.message").getStringValue()).isEqualTo("out of stock");
      assertThat(ea.get("exception.stacktrace").getStringValue()).contains("Orders.java:9");

      Span sql = spans.stream().filter(s -> s.getName().equals("SELECT")).findFirst().orElseThrow();
      assertThat(sql.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(sql.getParentSpanId()).isEqualTo(server.getSpanId());
      Map<String, AnyValue> sa = attrs(sql.getAttributesList());
      assertThat(sa.get("db.system").getStringValue()).isEqualTo("h2");
      assertThat(sa.get("db.query.text").getStringValue()).isEqualTo(ExportTraffic.SELECT);
      assertThat(sa.get("db.statement").getStringValue()).isEqualTo(ExportTraffic.SELECT);
      assertThat(sa.get("db.response.returned_rows").getIntValue()).isEqualTo(1);

      Span client = spans.stream().filter(s -> s.getName().startsWith("HTTP")).findFirst().orElseThrow();
      assertThat(client.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(id(client.getSpanId())).isEqualTo(STOCK_TX);
      Map<String, AnyValue> ca = attrs(client.getAttributesList());
      assertThat(ca.get("url.full").getStringValue()).isEqualTo("http://stock.local:8082/stock/7?n=1");
      assertThat(ca.get("server.address").getStringValue()).isEqualTo("stock.local");
      assertThat(ca.get("server.port").getIntValue()).isEqualTo(8082);

      Span callee = spans.stream().filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER
          && s.getName().startsWith("GET /stock")).findFirst().orElseThrow();
      assertThat(callee.getTraceId()).isEqualTo(server.getTraceId());
      assertThat(callee.getParentSpanId()).isEqualTo(client.getSpanId());

      // metrics: cumulative sums, gauges and the duration histogram, per application
      Metric histogram = Await.value("whatap.transaction.duration at /v1/metrics", WAIT, () -> {
        for (TestCollector.Received r : collector.accepted("/v1/metrics")) {
          try {
            for (ResourceMetrics rm : ExportMetricsServiceRequest.parseFrom(r.body()).getResourceMetricsList()) {
              if (!attrs(rm.getResource().getAttributesList()).get("service.name").getStringValue().equals("orders")) {
                continue;
              }
              for (Metric m : rm.getScopeMetrics(0).getMetricsList()) {
                if (m.getName().equals("whatap.transaction.duration")) {
                  return m;
                }
              }
            }
          } catch (InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
          }
        }
        return null;
      }, () -> collector.received.toString());
      assertThat(histogram.getUnit()).isEqualTo("s");
      assertThat(histogram.getHistogram().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      var point = histogram.getHistogram().getDataPoints(0);
      assertThat(point.getCount()).isEqualTo(1);
      assertThat(point.getSum()).isEqualTo(0.06);
      assertThat(point.getExplicitBoundsList()).startsWith(0.005, 0.01).hasSize(14);
      assertThat(point.getBucketCountsList()).hasSize(15);
      assertThat(point.getBucketCountsList().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
      assertThat(point.getBucketCounts(4)).isEqualTo(1); // 60 ms: (0.05, 0.075]

      ExportMetricsServiceRequest last = ExportMetricsServiceRequest.parseFrom(
          collector.accepted("/v1/metrics").get(collector.accepted("/v1/metrics").size() - 1).body());
      Map<String, Metric> orders = new HashMap<>();
      for (ResourceMetrics rm : last.getResourceMetricsList()) {
        if (attrs(rm.getResource().getAttributesList()).get("service.name").getStringValue().equals("orders")) {
          rm.getScopeMetrics(0).getMetricsList().forEach(m -> orders.put(m.getName(), m));
        }
      }
      Metric count = orders.get("whatap.transactions");
      assertThat(count.getSum().getIsMonotonic()).isTrue();
      assertThat(count.getSum().getAggregationTemporality())
          .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
      assertThat(count.getSum().getDataPoints(0).getAsInt()).isEqualTo(1);
      assertThat(orders.get("whatap.transaction.errors").getSum().getDataPoints(0).getAsInt()).isEqualTo(1);
      assertThat(orders.get("whatap.transactions.active").hasGauge()).isTrue();
      assertThat(orders.get("whatap.cpu.utilization").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(0.125);
      assertThat(orders.get("whatap.heap.used").getGauge().getDataPoints(0).getAsDouble()).isEqualTo(1000.0);
    }
  }

  @Test
  void aCollectorAnswering503GetsTheBatchAgainAndNothingIsLost() throws Exception {
    try (TestCollector collector = new TestCollector();
        LocalAgent agent = agent(collector, "export_otlp_compression", "none", "export_batch_max", "20")) {
      collector.answer(503, 503, 429);
      long t0 = System.currentTimeMillis();
      List<byte[]> datagrams = new ArrayList<>();
      for (int i = 1; i <= 50; i++) {
        datagrams.add(Frames.transaction(1000 + i, 101, t0, 5, "/item/" + i, false));
      }
      send(agent, datagrams.toArray(new byte[0][]));
      Await.until("50 transactions accepted", WAIT, () -> agent.exports().meters().get(0).sentTransactions.sum() == 50,
          () -> collector.received.size() + " requests");
      Set<Long> txids = new HashSet<>();
      for (Span s : spans(collector.accepted("/v1/traces"))) {
        txids.add(id(s.getTraceId()));
      }
      assertThat(txids).hasSize(50);
      ExporterMeters m = agent.exports().meters().get(0);
      assertThat(m.requestsFailed.sum()).isEqualTo(3);
      assertThat(m.droppedFailed.sum()).isZero();
      assertThat(m.droppedQueueFull.sum()).isZero();
      assertThat(collector.received.stream().filter(r -> r.path().equals("/v1/traces")).toList().get(0)
          .header("Content-Encoding")).isNull();
      // the meters as the API and /metrics show them
      HttpClient http = HttpClient.newHttpClient();
      String api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/api/export"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(api).contains("\"name\":\"otlp\"").contains("\"sentTransactions\":50").contains("\"requestsFailed\":3");
      String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + "/metrics"))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics).contains("whatap_agent_export_sent_transactions_total{exporter=\"otlp\"} 50")
          .contains("whatap_agent_export_requests_failed_total{exporter=\"otlp\"} 3")
          .contains("whatap_agent_export_dropped_total{exporter=\"otlp\",reason=\"queue_full\"} 0");
    }
  }
}
