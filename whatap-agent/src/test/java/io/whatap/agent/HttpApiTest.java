package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.config.ConfigLoader;
import io.whatap.http.HttpRequestView;
import io.whatap.http.Propagation;
import io.whatap.runtime.Agent;
import io.whatap.trace.TraceContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JSON API and /metrics over real HTTP, fed by a real in-process agent of the core sending
 * real UDP: what an application records is what the API shows.
 */
class HttpApiTest {
  private static final String LICENSE = "LICENSE-x7Hq-must-never-show";
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final HttpRequestView<Map<String, String>> VIEW = new HttpRequestView<>() {
    @Override
    public String method(Map<String, String> r) {
      return "GET";
    }

    @Override
    public String path(Map<String, String> r) {
      return r.get(":path");
    }

    @Override
    public String query(Map<String, String> r) {
      return null;
    }

    @Override
    public String host(Map<String, String> r) {
      return "inventory.local";
    }

    @Override
    public String header(Map<String, String> r, String name) {
      return r.get(name);
    }

    @Override
    public String remoteAddr(Map<String, String> r) {
      return "127.0.0.1";
    }
  };

  private static LocalAgent agent;
  private static Agent app;
  private static String base;
  private static int pid;

  @BeforeAll
  static void start() throws Exception {
    agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_interval_ms", "500", "agent_active_poll_ms", "200", "agent_stack_after_ms", "300",
        "agent_slow_ms", "250", "license", LICENSE,
        "agent_offer_stats", "false"))); // every transaction in full here; StatsModeEndToEndTest has stats mode
    base = "http://127.0.0.1:" + agent.httpPort();
    Path home = Files.createTempDirectory("whatap-api-test");
    Map<String, String> env = Map.of("WHATAP_NET_UDP_HOST", "127.0.0.1",
        "WHATAP_NET_UDP_PORT", String.valueOf(agent.udpPort()), "WHATAP_APP_NAME", "api-app",
        "WHATAP_COUNTER_INTERVAL_MS", "500", "WHATAP_BANNER_ENABLED", "false", "WHATAP_LICENSE", LICENSE);
    app = Agent.startStandalone(new ConfigLoader(home, env, new Properties()));
    pid = app.sender.pid();
  }

  @AfterAll
  static void stop() {
    app.close();
    agent.close();
  }

  private static TraceContext ended(String name, int status, Throwable error) {
    TraceContext ctx = app.tracer.start(name);
    ctx.requestFrom("GET", null, null, null, null);
    ctx.sql("jdbc:test://db", "SELECT * FROM t WHERE id = ?", System.currentTimeMillis(), 2, 3);
    app.tracer.end(ctx, status, error);
    return ctx;
  }

  static HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertThat(r.statusCode()).as(path + " -> " + r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json; charset=utf-8");
    return new JsonObject(r.body());
  }

  static JsonObject awaitJson(String path, Predicate<JsonObject> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    JsonObject last;
    do {
      last = json(path);
      if (condition.test(last)) {
        return last;
      }
      LockSupport.parkNanos(20_000_000L); // a poll interval, not a wait for time to pass: the deadline bounds it
    } while (System.nanoTime() < deadline);
    throw new AssertionError("timed out waiting on " + path + "; last answer: " + last.encodePrettily());
  }

  private static String txid(TraceContext ctx) {
    return Long.toString(ctx.txid());
  }

  private static boolean hasTx(JsonObject list, String txid) {
    return list.getJsonArray("transactions").stream().anyMatch(o -> ((JsonObject) o).getString("txid").equals(txid));
  }

  @Test
  void appsSummarySeriesNamesAndHitmap() throws Exception {
    TraceContext ok = ended("/summary/ok", 200, null);
    TraceContext failed = ended("/summary/fail", 500, new IllegalStateException("boom"));
    // both: they may travel in two datagrams, and the names below are read once, not awaited
    awaitJson("/api/transactions?limit=100", l -> hasTx(l, txid(ok)) && hasTx(l, txid(failed)));

    JsonObject apps = awaitJson("/api/apps", a -> a.getJsonArray("apps").stream()
        .anyMatch(o -> ((JsonObject) o).getString("name").equals("api-app")));
    JsonObject me = apps.getJsonArray("apps").stream().map(JsonObject.class::cast)
        .filter(o -> o.getInteger("pid") == pid).findFirst().orElseThrow();
    assertThat(me.getBoolean("provisional")).isFalse();
    assertThat(me.getBoolean("live")).isTrue();
    assertThat(me.getLong("count")).isGreaterThanOrEqualTo(2);
    assertThat(me.getJsonObject("counters").getLong("heap_used")).isPositive();
    int id = me.getInteger("id");

    JsonObject summary = awaitJson("/api/summary?app=" + id, s -> s.getJsonObject("last") != null);
    assertThat(summary.getInteger("intervalMs")).isEqualTo(500);
    assertThat(summary.getJsonObject("last").getDouble("tps")).isNotNegative();
    assertThat(summary.getJsonObject("agent").getLong("datagrams")).isPositive();

    JsonObject series = awaitJson("/api/series?minutes=5", s -> s.getJsonArray("points").stream()
        .anyMatch(p -> ((JsonObject) p).getLong("count") > 0));
    JsonObject point = series.getJsonArray("points").stream().map(JsonObject.class::cast)
        .filter(p -> p.getLong("count") > 0).findFirst().orElseThrow();
    assertThat(point.getDouble("tps")).isEqualTo(point.getLong("count") / 0.5);
    assertThat(point.getJsonArray("bands")).isNotNull();
    assertThat(series.getJsonArray("apps")).isNotEmpty();

    JsonObject names = json("/api/stats/names?intervals=0");
    JsonObject fail = names.getJsonArray("names").stream().map(JsonObject.class::cast)
        .filter(n -> n.getString("name").equals("/summary/fail")).findFirst().orElseThrow();
    assertThat(fail.getLong("count")).isEqualTo(1);
    assertThat(fail.getLong("errors")).isEqualTo(1);
    assertThat(fail.getDouble("errorRate")).isEqualTo(1.0);

    JsonObject hitmap = json("/api/hitmap?minutes=10");
    assertThat(hitmap.getJsonArray("points")).isNotEmpty();
    assertThat(hitmap.getJsonArray("points").getJsonArray(0)).hasSize(5);
    assertThat(hitmap.getJsonArray("points").getJsonArray(0).getInteger(4)).as("one transaction per point").isEqualTo(1);
  }

  @Test
  void transactionListsAndOneProfile() throws Exception {
    TraceContext ok = ended("/profile/ok", 200, null);
    TraceContext failed = ended("/profile/fail", 500, new IllegalArgumentException("bad input"));
    JsonObject recent = awaitJson("/api/transactions?limit=100", l -> hasTx(l, txid(failed)) && hasTx(l, txid(ok)));
    assertThat(recent.getJsonArray("transactions").getJsonObject(0).getString("txid"))
        .as("newest first").isIn(txid(failed), txid(ok));
    JsonObject slow = json("/api/transactions?kind=slow&limit=100");
    assertThat(hasTx(slow, txid(failed))).as("failed ones are kept longer").isTrue();
    assertThat(hasTx(slow, txid(ok))).isFalse();

    JsonObject t = json("/api/transactions/" + txid(failed));
    assertThat(t.getString("name")).isEqualTo("/profile/fail");
    awaitJson("/api/apps", a -> a.getJsonArray("apps").stream().map(JsonObject.class::cast)
        .anyMatch(o -> o.getInteger("pid") == pid && !o.getBoolean("provisional")));
    assertThat(json("/api/transactions/" + txid(failed)).getString("app"))
        .as("named by the application's configuration, asked through the back channel").isEqualTo("api-app");
    assertThat(t.getInteger("status")).isEqualTo(500);
    assertThat(t.getBoolean("error")).isTrue();
    assertThat(t.getString("errorClass")).isEqualTo("java.lang.IllegalArgumentException");
    assertThat(t.getString("errorMessage")).isEqualTo("bad input");
    JsonArray steps = t.getJsonArray("stepList");
    JsonObject sql = steps.stream().map(JsonObject.class::cast).filter(s -> s.getString("kind").equals("sql"))
        .findFirst().orElseThrow();
    assertThat(sql.getString("title")).isEqualTo("SELECT * FROM t WHERE id = ?");
    assertThat(sql.getString("detail")).isEqualTo("jdbc:test://db");
    assertThat(sql.getLong("fetch")).isEqualTo(3);
    assertThat(sql.getLong("offset")).isBetween(0L, (long) t.getInteger("elapsed") + 1);
    assertThat(steps.stream().map(JsonObject.class::cast).filter(s -> s.getString("kind").equals("error")))
        .singleElement().satisfies(e -> assertThat(e.getString("text")).contains("bad input"));

    assertThat(get("/api/transactions/12345").statusCode()).isEqualTo(404);
    assertThat(get("/api/transactions/not-a-number").statusCode()).isEqualTo(400);
  }

  @Test
  void onceOfferedTheAppSendsStepLessTransactionsAsOneFrameAndTheyShowWithMethodAndStatus() throws Exception {
    app.tracer.end(app.tracer.start("/offer/first"), 200, null); // the agent offers when it hears a process
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!app.sender.sendsStartEnd()) {
      assertThat(System.nanoTime()).as("the agent's offer reaches the app's back channel").isLessThan(deadline);
      LockSupport.parkNanos(10_000_000L);
    }
    long framesBefore = app.sender.framesSent.sum();
    int n = 400; // two frames each would be 800; counter packs and back-channel answers add a few meanwhile
    TraceContext last = null;
    for (int i = 0; i < n; i++) {
      last = app.tracer.start("/offer/one-frame");
      last.requestFrom("PUT", null, null, null, null);
      app.tracer.end(last, 202, null);
    }
    TraceContext newest = last;
    awaitJson("/api/transactions?limit=200", l -> hasTx(l, txid(newest)));
    assertThat(app.sender.framesSent.sum() - framesBefore)
        .as("one frame per transaction (two would be " + 2 * n + "), plus the counter and back-channel frames")
        .isBetween((long) n, n + n / 2L);
    JsonObject t = json("/api/transactions/" + txid(newest));
    assertThat(t.getString("name")).isEqualTo("/offer/one-frame");
    assertThat(t.getString("method")).isEqualTo("PUT");
    assertThat(t.getInteger("status")).isEqualTo(202);
    assertThat(t.getString("app")).isEqualTo("api-app");
  }

  @Test
  void aCallFromOneTransactionToAnotherLinksBothWays() throws Exception {
    TraceContext caller = app.tracer.start("/checkout");
    Map<String, String> headers = new HashMap<>();
    long calleeTxid = Propagation.writeOutgoing(app.tracer, caller, headers::put);
    headers.put(":path", "/inventory/7");
    long callStart = System.currentTimeMillis();
    TraceContext callee = app.http.start(VIEW, headers);
    app.http.end(callee, 200, null, null);
    caller.httpCall("http://inventory.local/inventory/7", callStart, 1, 200, calleeTxid, "test");
    app.tracer.end(caller, 200, null);
    assertThat(callee.txid()).as("the callee runs under the txid its caller assigned").isEqualTo(calleeTxid);

    awaitJson("/api/transactions?limit=100", l -> hasTx(l, txid(caller)) && hasTx(l, txid(callee)));
    JsonObject c = json("/api/transactions/" + txid(caller));
    JsonObject httpc = c.getJsonArray("stepList").stream().map(JsonObject.class::cast)
        .filter(s -> s.getString("kind").equals("httpc")).findFirst().orElseThrow();
    assertThat(httpc.getString("calleeTxid")).isEqualTo(Long.toString(calleeTxid));
    assertThat(httpc.getJsonObject("callee").getString("name")).isEqualTo("/inventory/{id}");
    assertThat(c.getJsonArray("chain")).extracting(o -> ((JsonObject) o).getString("txid"))
        .containsExactly(Long.toString(calleeTxid));

    JsonObject e = json("/api/transactions/" + calleeTxid);
    assertThat(e.getJsonObject("caller").getString("txid")).isEqualTo(txid(caller));
    assertThat(e.getJsonObject("caller").getJsonObject("transaction").getString("name")).isEqualTo("/checkout");
    assertThat(e.getInteger("mdepth")).isEqualTo(1);
  }

  @Test
  void aLongRunningTransactionShowsAsActiveWithTheStackFetchedThroughTheBackChannel() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    TraceContext[] running = new TraceContext[1];
    CountDownLatch started = new CountDownLatch(1);
    Thread worker = new Thread(() -> {
      running[0] = app.tracer.start("/long/running");
      started.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      app.tracer.end(running[0], 200, null);
    }, "long-running-request");
    worker.start();
    started.await();
    String txid = txid(running[0]);
    JsonObject active = awaitJson("/api/active", a -> a.getJsonArray("apps").stream().map(JsonObject.class::cast)
        .flatMap(x -> x.getJsonArray("transactions").stream().map(JsonObject.class::cast))
        .anyMatch(t -> t.getString("txid").equals(txid) && t.getString("stack") != null));
    JsonObject tx = active.getJsonArray("apps").stream().map(JsonObject.class::cast)
        .flatMap(x -> x.getJsonArray("transactions").stream().map(JsonObject.class::cast))
        .filter(t -> t.getString("txid").equals(txid)).findFirst().orElseThrow();
    assertThat(tx.getString("name")).isEqualTo("/long/running");
    assertThat(tx.getLong("runningMs")).isGreaterThanOrEqualTo(300);
    assertThat(tx.getString("stack")).contains("CountDownLatch.await");

    release.countDown();
    worker.join();
    awaitJson("/api/transactions?limit=100", l -> hasTx(l, txid));
    JsonObject done = json("/api/transactions/" + txid);
    assertThat(done.getString("activeStack")).contains("CountDownLatch.await");
    assertThat(hasTx(json("/api/transactions?kind=slow&limit=100"), txid)).as("slower than agent_slow_ms").isTrue();
  }

  @Test
  void metricsParseAndAgreeWithTheApi() throws Exception {
    ended("/metrics/one", 200, null);
    JsonObject apps = awaitJson("/api/apps", a -> a.getJsonArray("apps").stream().map(JsonObject.class::cast)
        .anyMatch(o -> o.getInteger("pid") == pid && !o.getBoolean("provisional") && o.getLong("count") > 0));
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    Map<String, PrometheusTextParser.Family> f = PrometheusTextParser.parse(r.body());
    long count = apps.getJsonArray("apps").stream().map(JsonObject.class::cast)
        .filter(o -> o.getInteger("pid") == pid && !o.getBoolean("provisional")).findFirst().orElseThrow()
        .getLong("count");
    assertThat(MetricsTextTest.value(f, "whatap_transactions_total", Map.of("app", "api-app", "pid",
        String.valueOf(pid)))).isGreaterThanOrEqualTo(count);
    assertThat(MetricsTextTest.value(f, "whatap_agent_datagrams_total", Map.of())).isPositive();

    // the new families: the identity comes from what the core's counter packs say (host, app_process_name)
    JsonObject app = awaitJson("/api/apps", a -> a.getJsonArray("apps").stream().map(JsonObject.class::cast)
        .anyMatch(o -> o.getInteger("pid") == pid && !o.getString("host").isEmpty())).getJsonArray("apps").stream()
        .map(JsonObject.class::cast).filter(o -> o.getInteger("pid") == pid).findFirst().orElseThrow();
    Map<String, String> identity = Map.of("app", "api-app", "host", app.getString("host"), "instance_id",
        "api-app@" + app.getString("host") + "/" + app.getString("process"));
    Map<String, PrometheusTextParser.Family> now = PrometheusTextParser.parse(get("/metrics").body());
    assertThat(PrometheusConventionsTest.value(now, "whatap_transaction_duration_seconds_count", identity))
        .isGreaterThanOrEqualTo(count);
    assertThat(PrometheusConventionsTest.value(now, "jvm_threads_live_threads", identity)).isPositive();
  }

  @Test
  void badRequestsGetJsonErrors() throws Exception {
    assertThat(get("/api/nothing-here").statusCode()).isEqualTo(404);
    assertThat(get("/api/summary?app=99999").statusCode()).isEqualTo(404);
    HttpResponse<String> r = get("/api/transactions?limit=many");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(r.body()).getString("error")).contains("limit");
    assertThat(get("/api/transactions?kind=weird").statusCode()).isEqualTo(400);
    // this agent's store is off: what only the store has is 503, with the reason
    HttpResponse<String> off = get("/api/errors");
    assertThat(off.statusCode()).isEqualTo(503);
    assertThat(new JsonObject(off.body()).getString("error")).contains("agent_store_enabled=false");
    assertThat(get("/api/series?minutes=0").statusCode()).isEqualTo(400);
  }

  @Test
  void theDashboardIsOnePageAndTheLicenseNeverShows() throws Exception {
    ended("/license/check", 200, null);
    awaitJson("/api/apps", a -> !a.getJsonArray("apps").isEmpty());
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("id=\"kpi-tps\"").contains("const Charts").doesNotContain("/*{{")
        .doesNotContain("<script src").doesNotContain("http://").doesNotContain("https://");
    for (String path : new String[] {"/", "/metrics", "/api/apps", "/api/summary", "/api/series", "/api/agent",
        "/api/transactions", "/api/active", "/api/stats/names", "/api/hitmap"}) {
      assertThat(get(path).body()).as(path).doesNotContain(LICENSE);
    }
  }
}
