package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.config.ConfigLoader;
import io.whatap.runtime.Agent;
import io.whatap.trace.TraceContext;
import io.whatap.testing.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Stats mode between a real in-process agent of the core and the real local agent over UDP: the
 * local agent offers it, the process switches, and the names table, the totals, the hitmap and
 * /metrics count every transaction exactly once, whether it came in full or in a STATS_ROW.
 */
class StatsModeEndToEndTest {
  private static LocalAgent agent;
  private static Agent app;
  private static int pid;
  private static String base;
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  private static void await(String what, Callable<Boolean> condition) throws Exception {
    Await.until(what, Duration.ofSeconds(20), () -> {
      try {
        return condition.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @BeforeAll
  static void start() throws Exception {
    agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_interval_ms", "500", "agent_active_poll_ms", "0")));
    base = "http://127.0.0.1:" + agent.httpPort();
    Path home = Files.createTempDirectory("whatap-stats-test");
    Map<String, String> env = Map.of("WHATAP_NET_UDP_HOST", "127.0.0.1",
        "WHATAP_NET_UDP_PORT", String.valueOf(agent.udpPort()), "WHATAP_APP_NAME", "stats-app",
        "WHATAP_COUNTER_INTERVAL_MS", "500", "WHATAP_BANNER_ENABLED", "false",
        "WHATAP_PROFILE_ALL_BELOW_TPS", "0", "WHATAP_PROFILE_SAMPLE_PER_NAME", "2");
    app = Agent.startStandalone(new ConfigLoader(home, env, new Properties()));
    pid = app.sender.pid();
  }

  @AfterAll
  static void stop() {
    app.close();
    agent.close();
  }

  private static void ended(String name, int status) {
    TraceContext ctx = app.tracer.start(name);
    ctx.requestFrom("GET", "shop.local", null, null, null);
    // a failure as the HTTP adapters end it: with the error the status stands for
    app.tracer.end(ctx, status, status >= 500 ? new IllegalStateException("unavailable") : null);
  }

  private static Map<String, long[]> names() throws Exception {
    Map<String, long[]> out = new HashMap<>();
    JsonArray arr = json("/api/stats/names?intervals=0").getJsonArray("names");
    for (Object o : arr) {
      JsonObject n = (JsonObject) o;
      out.put(n.getString("name"), new long[] {n.getLong("count"), n.getLong("errors")});
    }
    return out;
  }

  @Test
  void theLocalAgentOffersStatsModeAndCountsEveryTransactionOnce() throws Exception {
    // before the offer (it comes back with the first transactions): every transaction in full
    ended("/e2e/first", 200);
    await("the first transaction listed", () -> !json("/api/transactions?limit=10").getJsonArray("transactions")
        .isEmpty());
    await("the local agent's offer switches the process to stats mode", app.sender::sendsStats);

    // a known mix: 300 ok and 30 failed of /e2e/a, 100 not found of /e2e/b
    for (int i = 0; i < 300; i++) {
      ended("/e2e/a", 200);
      if (i % 10 == 0) {
        ended("/e2e/a", 503);
      }
      if (i % 3 == 0) {
        ended("/e2e/b", 404);
      }
    }
    await("every transaction counted", () -> {
      Map<String, long[]> n = names();
      return n.containsKey("/e2e/a") && n.get("/e2e/a")[0] == 330 && n.containsKey("/e2e/b")
          && n.get("/e2e/b")[0] == 100;
    });
    Map<String, long[]> m = names();
    assertThat(m.get("/e2e/a")).containsExactly(330, 30);
    assertThat(m.get("/e2e/b")).containsExactly(100, 0);
    assertThat(m.get("/e2e/first")).containsExactly(1, 0);
    assertThat(app.sender.transactionsAggregated.sum()).as("most went into the statistics").isGreaterThan(300);
    JsonObject meters = json("/api/agent").getJsonObject("meters");
    assertThat(meters.getLong("statsRows")).isPositive();
    assertThat(json("/api/agent").getJsonObject("settings").getBoolean("offerStats")).isTrue();
    // full transactions listed: the failures, the linked ones (none here) and the samples
    JsonArray recent = json("/api/transactions?limit=1000").getJsonArray("transactions");
    long failedListed = recent.stream().map(JsonObject.class::cast)
        .filter(t -> t.getString("name").equals("/e2e/a") && t.getInteger("status") == 503).count();
    assertThat(failedListed).as("every failed transaction in full").isEqualTo(30);

    // the hitmap: points of full transactions count 1, cells of the statistics count more; all add up
    JsonArray points = json("/api/hitmap?minutes=10&limit=20000").getJsonArray("points");
    long hits = points.stream().map(JsonArray.class::cast).mapToLong(p -> p.getLong(4)).sum();
    long errorHits = points.stream().map(JsonArray.class::cast).filter(p -> p.getInteger(3) == 1)
        .mapToLong(p -> p.getLong(4)).sum();
    assertThat(hits).isEqualTo(431);
    assertThat(errorHits).isEqualTo(30);

    Map<String, PrometheusTextParser.Family> f = PrometheusTextParser.parse(get("/metrics").body());
    JsonObject me = json("/api/apps").getJsonArray("apps").stream().map(JsonObject.class::cast)
        .filter(o -> o.getInteger("pid") == pid).findFirst().orElseThrow();
    assertThat(MetricsTextTest.value(f, "whatap_transactions_total",
        Map.of("app", me.getString("name"), "pid", String.valueOf(pid)))).isEqualTo(431);
  }
}
