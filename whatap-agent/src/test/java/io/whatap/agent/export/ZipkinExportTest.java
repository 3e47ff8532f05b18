package io.whatap.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.whatap.agent.LocalAgent;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.query.AppView;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end against a real Zipkin server (the io.zipkin:zipkin-server exec jar, in-memory storage,
 * on a free port): two traced applications, each its own JVM with its own app_name, "orders" calling
 * "stock", report to one local agent, which exports to Zipkin. Zipkin's /api/v2/trace/{id} then holds
 * one trace: the caller's SERVER span, its SQL span and CLIENT span, the callee's SERVER span under
 * that CLIENT span, and the callee's SQL span.
 */
class ZipkinExportTest {
  private static final Pattern PORT = Pattern.compile("PORT (\\d+)");
  private static final String ORDERS_SQL = "SELECT id, total FROM orders WHERE id = ?";
  private static final String STOCK_SQL = "UPDATE stock SET n = n - 1 WHERE id = ?";
  private static final Duration WAIT = Duration.ofSeconds(120);

  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private static ForkedJvm zipkin;
  private static int zipkinPort;
  private static LocalAgent agent;
  private static ForkedJvm stock;
  private static ForkedJvm orders;
  private static int ordersPort;

  @BeforeAll
  static void start() throws Exception {
    zipkinPort = ForkedJvm.freePort();
    zipkin = ForkedJvm.zipkin(zipkinPort);
    agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "export_zipkin_endpoint", "http://127.0.0.1:" + zipkinPort + "/api/v2/spans")));
    List<String> common = List.of("-Dwhatap.net_udp_host=127.0.0.1", "-Dwhatap.net_udp_port=" + agent.udpPort(),
        "-Dwhatap.counter_interval_ms=1000");
    stock = ForkedJvm.main(TracedApp.class, concat(common, "-Dwhatap.app_name=stock"), STOCK_SQL, "-");
    int stockPort = Integer.parseInt(stock.await(PORT, WAIT));
    orders = ForkedJvm.main(TracedApp.class, concat(common, "-Dwhatap.app_name=orders"), ORDERS_SQL,
        "http://127.0.0.1:" + stockPort + "/stock/7");
    ordersPort = Integer.parseInt(orders.await(PORT, WAIT));
    Await.until("Zipkin to serve /health", WAIT, () -> status("/health") == 200, zipkin::output);
  }

  private static List<String> concat(List<String> a, String b) {
    return java.util.stream.Stream.concat(a.stream(), java.util.stream.Stream.of(b)).toList();
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {orders, stock, agent, zipkin}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // the next one still closes
      }
    }
  }

  private static int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + zipkinPort + path))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void twoApplicationsCallingEachOtherAreOneTraceInZipkin() throws Exception {
    // both applications must be named (from their counter packs) before the traced call, so that
    // their spans carry their own service names rather than the agent's provisional one
    Await.until("the caller to answer", WAIT, () -> {
      try {
        return get("http://127.0.0.1:" + ordersPort + "/warm-up").equals("status 200");
      } catch (Exception e) {
        return false;
      }
    }, () -> "orders:\n" + orders.output() + "\nstock:\n" + stock.output());
    Await.until("both applications named in the agent", WAIT, () -> agent.state().apps().stream()
        .map(AppView::name).collect(Collectors.toSet()).containsAll(List.of("orders", "stock")),
        () -> agent.state().apps().toString());

    assertThat(get("http://127.0.0.1:" + ordersPort + "/orders/7")).isEqualTo("status 200");
    TxRecord caller = Await.value("the caller's transaction in the agent", WAIT, () -> agent.state()
        .transactions(0, false, 100).stream().filter(t -> t.name.startsWith("/orders")).findFirst().orElse(null),
        () -> "");
    String traceId = String.format("%016x", caller.mtid != 0 ? caller.mtid : caller.txid);
    JsonArray trace = Await.value("trace " + traceId + " with five spans in Zipkin", WAIT, () -> {
      try {
        String body = get("http://127.0.0.1:" + zipkinPort + "/api/v2/trace/" + traceId);
        JsonArray a = body.startsWith("[") ? new JsonArray(body) : null;
        return a != null && a.size() >= 5 ? a : null;
      } catch (Exception e) {
        return null;
      }
    }, () -> agent.exports().meters().get(0).lastError() + " sent " + agent.exports().meters().get(0).sentSpans);

    List<JsonObject> spans = trace.stream().map(o -> (JsonObject) o).toList();
    assertThat(spans).hasSize(5);
    JsonObject callerServer = one(spans, "orders", "SERVER", null);
    JsonObject client = one(spans, "orders", "CLIENT", "url.full");
    JsonObject calleeServer = one(spans, "stock", "SERVER", null);
    JsonObject callerSql = one(spans, "orders", "CLIENT", "db.query.text");
    JsonObject calleeSql = one(spans, "stock", "CLIENT", "db.query.text");

    assertThat(callerServer.getString("parentId")).isNull();
    assertThat(callerServer.getString("name")).isEqualTo("get /orders/{id}");
    assertThat(tags(callerServer)).containsEntry("http.request.method", "GET")
        .containsEntry("http.response.status_code", "200").containsEntry("url.path", "/orders/{id}");
    assertThat(client.getString("parentId")).isEqualTo(callerServer.getString("id"));
    assertThat((String) tags(client).get("url.full")).startsWith("http://127.0.0.1:").contains("/stock/7");
    assertThat(calleeServer.getString("parentId")).isEqualTo(client.getString("id"));
    assertThat(tags(calleeServer)).containsEntry("http.route", "/stock/{id}").containsEntry("url.path", "/stock/{id}");
    assertThat(callerSql.getString("parentId")).isEqualTo(callerServer.getString("id"));
    assertThat(tags(callerSql)).containsEntry("db.query.text", ORDERS_SQL).containsEntry("db.system", "h2");
    assertThat(calleeSql.getString("parentId")).isEqualTo(calleeServer.getString("id"));
    assertThat(tags(calleeSql)).containsEntry("db.statement", STOCK_SQL);
    for (JsonObject s : spans) {
      assertThat(s.getString("traceId")).isEqualTo(traceId);
    }
  }

  private static Map<String, Object> tags(JsonObject span) {
    return span.getJsonObject("tags", new JsonObject()).getMap();
  }

  /** The one span of {@code service} of {@code kind} (with tag {@code tag} when given). */
  private static JsonObject one(List<JsonObject> spans, String service, String kind, String tag) {
    List<JsonObject> found = spans.stream()
        .filter(s -> service.equals(s.getJsonObject("localEndpoint").getString("serviceName")))
        .filter(s -> kind.equals(s.getString("kind")))
        .filter(s -> tag == null ? !tags(s).containsKey("url.full") && !tags(s).containsKey("db.query.text")
            : tags(s).containsKey(tag))
        .toList();
    assertThat(found).as(service + " " + kind + " " + tag + " in " + spans).hasSize(1);
    return found.get(0);
  }
}
