package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.testing.Await;
import io.whatap.wire.PackEncoder;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API over time ranges, over real HTTP, from an agent with its store on (200 ms intervals, a
 * memory of only 12 of them, so that any range of minutes is read from the store) fed by real UDP.
 */
class HistoryApiTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final int PID = 6161;
  private static final int ORDERS = 30;
  private static LocalAgent agent;
  private static String base;
  private static long started;
  private static long firstTxid;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("whatap-history-api");
    agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_interval_ms", "200", "agent_history_intervals", "12", "agent_active_poll_ms", "0",
        "agent_recent_max", "10", "agent_kept_max", "0", "agent_slow_ms", "500", "agent_store_enabled", "true",
        "agent_store_dir", dir.toString())));
    base = "http://127.0.0.1:" + agent.httpPort();
    started = System.currentTimeMillis() - 60_000; // beyond the 2.4 s memory holds: ranges from here are read from the store
    try (DatagramSocket socket = new DatagramSocket()) {
      // /orders/{id}: 30 transactions, each with a SQL statement and a call; every third fails with
      // "order N out of stock"; the 11th takes 900 ms (slow, not failed); then 20 quick /health ones
      for (int i = 1; i <= ORDERS; i++) {
        long id = 1000 + i;
        boolean failed = i % 3 == 1;
        int elapsed = i == 11 ? 900 : 20 + i;
        long end = System.currentTimeMillis();
        int n = i;
        byte[] d = Frames.of(w -> {
          PackEncoder.txStart(w, id, end - elapsed, 0, 0, 0, PID, 9, "shop:8080", "/orders/{id}", "10.0.0.1", "ua", "",
              "", false, "GET");
          PackEncoder.txSql(w, id, end - elapsed + 1, 4, 0, 0, PID, 9, "jdbc:h2:mem:shop",
              "SELECT * FROM orders WHERE id = " + n, 3);
          PackEncoder.txHttpc(w, id, end - elapsed + 6, 10, 0, 0, PID, 9, "http://stock/items", 0L, "jdk");
          if (failed) {
            PackEncoder.txError(w, id, end - 1, 0, 0, 0, PID, 9, "java.lang.IllegalStateException",
                "order " + n + " out of stock", "java.lang.IllegalStateException");
          }
          PackEncoder.txEnd(w, id, end, 0, 2, 0, PID, 9, "shop:8080", "/orders/{id}", 0, 0, 0, 0, "", "", "",
              failed ? 500 : 200, false, 0);
        });
        socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), agent.udpPort()));
      }
      firstTxid = 1001;
      for (int i = 0; i < 20; i++) {
        byte[] d = Frames.transaction(5000 + i, PID, System.currentTimeMillis() - 2, 2, "/health", false);
        socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), agent.udpPort()));
      }
    }
    Await.until("the store has all 50 transactions", Duration.ofSeconds(30), () -> {
      JsonObject s = get("/api/series?from=" + started + "&to=" + (System.currentTimeMillis() + 1000));
      long n = 0;
      for (Object p : s.getJsonArray("points")) {
        n += ((JsonObject) p).getLong("count");
      }
      return n == ORDERS + 20;
    });
  }

  @AfterAll
  static void stop() {
    agent.close();
  }

  private static JsonObject get(String path) {
    HttpResponse<String> r = send(path);
    assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static HttpResponse<String> send(String path) {
    try {
      return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String range() {
    return "from=" + started + "&to=" + (System.currentTimeMillis() + 1000);
  }

  private static String encoded(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static long sum(JsonArray points, String field) {
    long n = 0;
    for (Object p : points) {
      n += ((JsonObject) p).getLong(field);
    }
    return n;
  }

  @Test
  void seriesOverARangeBeyondMemoryComeFromTheStoreInTheSameShape() {
    JsonObject s = get("/api/series?" + range());
    assertThat(s.getString("source")).isEqualTo("store");
    assertThat(s.getLong("resolutionMs")).isEqualTo(200);
    assertThat(sum(s.getJsonArray("points"), "count")).isEqualTo(50);
    assertThat(sum(s.getJsonArray("points"), "errors")).isEqualTo(10);
    JsonObject p = s.getJsonArray("points").getJsonObject(0);
    assertThat(p.fieldNames()).contains("t", "durationMs", "tps", "count", "errors", "errorRate", "avg", "min", "max",
        "p50", "p90", "p99", "active", "bands", "cpuPct", "heapUsed", "heapMax", "gcCount", "gcTimeMs", "threads");
    assertThat(s.getJsonArray("apps")).hasSize(1);
    assertThat(s.getJsonArray("apps").getJsonObject(0).getInteger("id")).isNotNull();
    assertThat(sum(s.getJsonArray("apps").getJsonObject(0).getJsonArray("points"), "count")).isEqualTo(50);

    JsonObject live = get("/api/series");
    assertThat(live.containsKey("source")).as("without from/to: the in-memory answer as before").isFalse();
    JsonObject recent = get("/api/series?from=" + (System.currentTimeMillis() - 1000));
    assertThat(recent.getString("source")).as("a range memory holds").isEqualTo("memory");
  }

  @Test
  void namesOverARange() {
    JsonObject n = get("/api/stats/names?" + range());
    JsonArray names = n.getJsonArray("names");
    assertThat(names).hasSize(2);
    JsonObject orders = names.getJsonObject(0); // the most time first
    assertThat(orders.getString("name")).isEqualTo("/orders/{id}");
    assertThat(orders.getLong("count")).isEqualTo(ORDERS);
    assertThat(orders.getLong("errors")).isEqualTo(10);
    assertThat(orders.getLong("max")).isEqualTo(900);
  }

  @Test
  void aNamesSeriesAndItsTransactions() {
    String name = encoded("/orders/{id}");
    JsonObject s = get("/api/names/" + name + "/series?" + range());
    assertThat(s.getString("name")).isEqualTo("/orders/{id}");
    assertThat(sum(s.getJsonArray("points"), "count")).isEqualTo(ORDERS);
    assertThat(s.getJsonArray("points").getJsonObject(0).fieldNames()).contains("t", "count", "errors", "p90", "cpuMs");

    JsonObject slowest = get("/api/names/" + name + "/transactions?kind=slowest&limit=3&" + range());
    assertThat(slowest.getJsonArray("transactions").getJsonObject(0).getInteger("elapsed")).isEqualTo(900);
    JsonObject failed = get("/api/names/" + name + "/transactions?kind=failed&limit=100&" + range());
    assertThat(failed.getJsonArray("transactions")).hasSize(10);
    assertThat(failed.getJsonArray("transactions").getJsonObject(0).getBoolean("error")).isTrue();
  }

  @Test
  void transactionListsOverARangeAndAProfileOnlyTheStoreStillHas() {
    JsonObject failed = get("/api/transactions?kind=failed&limit=100&" + range());
    assertThat(failed.getString("source")).isEqualTo("store");
    assertThat(failed.getJsonArray("transactions")).hasSize(10);
    JsonObject slow = get("/api/transactions?kind=slow&limit=100&" + range());
    assertThat(slow.getJsonArray("transactions")).hasSize(11); // ten failed and one slow
    JsonObject health = get("/api/transactions?name=" + encoded("/health") + "&limit=100&" + range());
    assertThat(health.getJsonArray("transactions")).as("the sample: the first /health of its interval").isNotEmpty();

    // the recent ring holds 10: the first transaction is only in the store now
    JsonObject t = get("/api/transactions/" + firstTxid);
    assertThat(t.getString("name")).isEqualTo("/orders/{id}");
    assertThat(t.getString("errorMessage")).isEqualTo("order 1 out of stock");
    assertThat(t.getJsonArray("stepList").getJsonObject(0).getString("title")).isEqualTo("SELECT * FROM orders WHERE id = 1");
    assertThat(send("/api/transactions/999999").statusCode()).isEqualTo(404);
  }

  @Test
  void sqlCallsAndErrorGroups() {
    JsonObject sql = get("/api/sql?" + range());
    JsonObject st = sql.getJsonArray("statements").getJsonObject(0);
    assertThat(st.getString("sql")).isEqualTo("SELECT * FROM orders WHERE id = ?");
    assertThat(st.getLong("count")).isEqualTo(ORDERS);
    assertThat(st.getLong("totalMs")).isEqualTo(4L * ORDERS);
    assertThat(st.getDouble("avgMs")).isEqualTo(4.0);
    assertThat(st.getLong("maxMs")).isEqualTo(4);
    assertThat(st.getLong("rows")).isEqualTo(3L * ORDERS);
    assertThat(st.getLong("errors")).isEqualTo(10);
    JsonObject byName = get("/api/sql?name=" + encoded("/health") + "&" + range());
    assertThat(byName.getJsonArray("statements")).isEmpty();

    JsonObject calls = get("/api/calls?" + range());
    JsonObject c = calls.getJsonArray("calls").getJsonObject(0);
    assertThat(c.getString("url")).isEqualTo("http://stock/items");
    assertThat(c.getLong("count")).isEqualTo(ORDERS);
    assertThat(c.getLong("maxMs")).isEqualTo(10);

    JsonObject errors = get("/api/errors?" + range());
    assertThat(errors.getJsonArray("groups")).hasSize(1);
    JsonObject g = errors.getJsonArray("groups").getJsonObject(0);
    assertThat(g.getString("class")).isEqualTo("java.lang.IllegalStateException");
    assertThat(g.getString("pattern")).isEqualTo("order ? out of stock");
    assertThat(g.getLong("count")).isEqualTo(10);
    assertThat(sum(new JsonArray(g.getJsonArray("points").stream()
        .map(p -> new JsonObject().put("n", ((JsonArray) p).getLong(1))).toList()), "n")).isEqualTo(10);
    assertThat(g.getJsonArray("examples")).isNotEmpty();
    assertThat(get("/api/transactions/" + g.getJsonArray("examples").getString(0)).getBoolean("error")).isTrue();
  }

  @Test
  void badRangesAreRefused() {
    assertThat(send("/api/errors?from=10&to=5").statusCode()).isEqualTo(400);
    assertThat(send("/api/sql?from=x").statusCode()).isEqualTo(400);
    assertThat(send("/api/errors?app=999").statusCode()).isEqualTo(404);
    assertThat(send("/api/transactions?kind=nope&" + range()).statusCode()).isEqualTo(400);
  }
}
