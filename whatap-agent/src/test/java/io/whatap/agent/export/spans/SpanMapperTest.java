package io.whatap.agent.export.spans;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.export.ExportTraffic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Completed transactions (assembled from real packs) as spans: kinds, attributes, ids and parents. */
class SpanMapperTest {
  private static final long ORDERS_TX = 0x1111_2222_3333_4444L;
  private static final long STOCK_TX = 0x5555_6666_7777_8888L;
  private final SpanMapper mapper = new SpanMapper("host-a");

  private static Map<String, Object> attrs(Span s) {
    Map<String, Object> m = new HashMap<>();
    for (Span.Attribute a : s.attributes()) {
      m.put(a.key(), a.value());
    }
    return m;
  }

  @Test
  void callerAndCalleeShareOneTraceAndTheCalleeHangsUnderTheCallersClientSpan() {
    ExportTraffic traffic = new ExportTraffic(Map.of());
    long t0 = System.currentTimeMillis();
    traffic.send(ExportTraffic.orders(ORDERS_TX, STOCK_TX, t0, 200, false));
    traffic.send(ExportTraffic.stock(STOCK_TX, ORDERS_TX, ORDERS_TX, t0));
    List<Span> caller = mapper.map(traffic.byTxid(ORDERS_TX));
    List<Span> callee = mapper.map(traffic.byTxid(STOCK_TX));

    Span server = caller.get(0);
    assertThat(server.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(server.parentId()).isZero();
    assertThat(server.traceId()).isEqualTo(ORDERS_TX);
    assertThat(server.name()).isEqualTo("GET /orders/{id}");
    assertThat(server.startMs()).isEqualTo(t0);
    assertThat(server.endMs()).isEqualTo(t0 + 60);
    assertThat(attrs(server)).containsEntry("http.request.method", "GET").containsEntry("http.route", "/orders/{id}")
        .containsEntry("url.path", "/orders/7").containsEntry("http.response.status_code", 200L)
        .containsEntry("client.address", "10.1.2.3").containsEntry("user_agent.original", "curl/8.5")
        .containsEntry("server.address", "shop.local").containsEntry("server.port", 8080L);
    assertThat(server.error()).isFalse();

    Span sql = caller.stream().filter(s -> "SELECT".equals(s.name())).findFirst().orElseThrow();
    assertThat(sql.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(sql.parentId()).isEqualTo(server.spanId());
    assertThat(attrs(sql)).containsEntry("db.system", "h2").containsEntry("db.query.text", ExportTraffic.SELECT)
        .containsEntry("db.statement", ExportTraffic.SELECT).containsEntry("db.operation.name", "SELECT")
        .containsEntry("db.response.returned_rows", 1L);
    assertThat(sql.startMs()).isEqualTo(t0 + 10);
    assertThat(sql.endMs()).isEqualTo(t0 + 14);

    Span client = caller.stream().filter(s -> s.name().startsWith("HTTP")).findFirst().orElseThrow();
    assertThat(client.kind()).isEqualTo(Span.Kind.CLIENT);
    assertThat(client.spanId()).isEqualTo(STOCK_TX);
    assertThat(client.parentId()).isEqualTo(server.spanId());
    assertThat(client.name()).isEqualTo("HTTP /stock/7");
    assertThat(attrs(client)).containsEntry("url.full", "http://stock.local:8082/stock/7?n=1")
        .containsEntry("server.address", "stock.local").containsEntry("server.port", 8082L);

    Span calleeServer = callee.get(0);
    assertThat(calleeServer.kind()).isEqualTo(Span.Kind.SERVER);
    assertThat(calleeServer.traceId()).isEqualTo(server.traceId());
    assertThat(calleeServer.parentId()).isEqualTo(client.spanId());
    assertThat(calleeServer.spanId()).isNotIn(client.spanId(), server.spanId());
    Span update = callee.get(1);
    assertThat(attrs(update)).containsEntry("db.system", "postgresql").containsEntry("db.query.text",
        ExportTraffic.UPDATE).doesNotContainKey("db.response.returned_rows");
    assertThat(update.parentId()).isEqualTo(calleeServer.spanId());
    assertThat(callee).extracting(Span::spanId).doesNotHaveDuplicates();
    assertThat(caller).extracting(Span::spanId).doesNotHaveDuplicates();

    ServiceResource r = mapper.resource(traffic.byTxid(STOCK_TX));
    assertThat(r.pid()).isEqualTo(ExportTraffic.STOCK_PID);
    assertThat(r.hostName()).isEqualTo("host-a");
    assertThat(r.instanceId()).contains("host-a").contains("202");
  }

  @Test
  void anErrorIsTheStatusAndAnExceptionEvent() {
    ExportTraffic traffic = new ExportTraffic(Map.of());
    long t0 = System.currentTimeMillis();
    traffic.send(ExportTraffic.orders(7, 8, t0, 500, true));
    Span server = mapper.map(traffic.byTxid(7)).get(0);
    assertThat(server.error()).isTrue();
    assertThat(server.statusMessage()).isEqualTo("out of stock");
    assertThat(attrs(server)).containsEntry("error.type", "java.lang.IllegalStateException")
        .containsEntry("http.response.status_code", 500L);
    assertThat(server.events()).hasSize(1);
    Span.Event e = server.events().get(0);
    assertThat(e.name()).isEqualTo("exception");
    assertThat(e.timeMs()).isEqualTo(t0 + 55);
    assertThat(e.attributes()).contains(new Span.Attribute("exception.type", "java.lang.IllegalStateException"),
        new Span.Attribute("exception.message", "out of stock"));
    assertThat(e.attributes()).extracting(Span.Attribute::key).contains("exception.stacktrace");
  }

  @Test
  void aBatchJobIsAnInternalSpanWithItsMethodsUnderIt() {
    ExportTraffic traffic = new ExportTraffic(Map.of());
    traffic.send(ExportTraffic.batchJob(99, System.currentTimeMillis()));
    List<Span> spans = mapper.map(traffic.byTxid(99));
    assertThat(spans.get(0).kind()).isEqualTo(Span.Kind.INTERNAL);
    assertThat(spans.get(0).name()).isEqualTo("nightly-report");
    assertThat(attrs(spans.get(0))).doesNotContainKey("http.request.method");
    assertThat(spans.get(1).kind()).isEqualTo(Span.Kind.INTERNAL);
    assertThat(spans.get(1).name()).isEqualTo("shop.Report.render()");
    assertThat(spans.get(1).parentId()).isEqualTo(spans.get(0).spanId());
  }

  @Test
  void aRootWithoutCallsIsItsOwnTraceAndATraceparentCallerIsTheParent() {
    ExportTraffic traffic = new ExportTraffic(Map.of());
    long t0 = System.currentTimeMillis();
    traffic.send(io.whatap.agent.Frames.transaction(42, 101, t0, 5, "/health", false));
    TxRecord root = traffic.byTxid(42);
    assertThat(SpanIds.traceId(root)).isEqualTo(42);
    assertThat(SpanIds.parentSpanId(root)).isZero();
    // traceparent alone: mtid = the trace id's low half, mcallerTxid = its parent span id, no caller spec
    traffic.send(io.whatap.agent.Frames.of(w -> {
      io.whatap.wire.PackEncoder.txStart(w, 43, t0, 0, 0, 0, 101, 1, "h", "/w3c", "", "", "", "", false, "GET");
      io.whatap.wire.PackEncoder.txEnd(w, 43, t0 + 3, 0, 0, 0, 101, 1, "h", "/w3c", 0xabcL, 1, 0xdefL, 0, "", "", "",
          200, false, 0);
    }));
    Span s = mapper.map(traffic.byTxid(43)).get(0);
    assertThat(s.traceId()).isEqualTo(0xabcL);
    assertThat(s.parentId()).isEqualTo(0xdefL);
  }

  @Test
  void dbSystemOnlyWhenTheDriverIsKnown() {
    assertThat(SpanMapper.dbSystem("jdbc:mysql://x/y")).containsExactly(new Span.Attribute("db.system", "mysql"));
    assertThat(SpanMapper.dbSystem("jdbc:sqlserver://x")).containsExactly(new Span.Attribute("db.system", "mssql"));
    assertThat(SpanMapper.dbSystem("jdbc:acme://x")).isEmpty();
    assertThat(SpanMapper.dbSystem("not a url")).isEmpty();
    assertThat(SpanMapper.operation("  (select 1)")).isEqualTo("SELECT");
    assertThat(SpanMapper.operation("42")).isEmpty();
  }
}
