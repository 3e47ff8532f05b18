package io.whatap.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import io.whatap.agent.AgentState;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.browser.HeadlessChromium;
import io.whatap.agent.assembly.TxStep;
import io.whatap.agent.query.AppView;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo as a newcomer runs it: the agent, the apps in their own JVMs and the traffic. What the
 * apps record must reach the agent (every kind of request, the cross-app link), and the dashboard
 * must show it in a real browser.
 */
class DemoEndToEndTest {
  private static Demo demo;

  @BeforeAll
  static void startDemo() throws Exception {
    demo = Demo.start(new Demo.Options(Path.of("target", "demo-test-home").toAbsolutePath(), 0, 0,
        DemoApps.DEFAULT, 4, Map.of("agent_interval_ms", "2000")));
  }

  @AfterAll
  static void stopDemo() {
    if (demo != null) {
      demo.close();
    }
  }

  private static <T> T await(String what, Callable<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = probe.call();
      if (last != null && done.test(last)) {
        return last;
      }
      LockSupport.parkNanos(100_000_000L); // poll interval; the deadline bounds the wait
    }
    throw new AssertionError("timed out waiting for " + what + "; last seen: " + last);
  }

  private static List<TxRecord> seen() {
    AgentState s = demo.agent().state();
    List<TxRecord> all = new ArrayList<>(s.transactions(0, false, 10_000));
    all.addAll(s.transactions(0, true, 10_000));
    return all;
  }

  /** What every app must show, from the demo's own traffic. */
  private static final List<String> KINDS = List.of("normal", "slow with its slow query", "failing statement",
      "SQL with fetch counts", "checkout: lookup, linked outgoing call, order insert");

  @Test
  void everyAppReportsEveryKindOfRequestAndItsCallsLinkToTheNextApp() throws Exception {
    AgentState s = demo.agent().state();
    await("every app named by its counters", s::apps, apps -> apps.size() == DemoApps.DEFAULT.size()
        && apps.stream().noneMatch(AppView::provisional));
    assertThat(s.apps()).extracting(AppView::name)
        .containsExactlyInAnyOrderElementsOf(DemoApps.DEFAULT.stream().map(DemoApps.AppSpec::appName).toList());
    assertThat(s.apps()).extracting(AppView::pid).doesNotHaveDuplicates();
    Map<Integer, String> appByPid = new HashMap<>();
    for (AppView a : s.apps()) {
      appByPid.put(a.pid(), a.name());
    }

    // accumulated over the polls: the agent's ring of recent transactions moves on meanwhile
    Map<String, Set<String>> shown = new TreeMap<>();
    List<String> leaks = new ArrayList<>();
    await("every kind of request from every app", () -> {
      for (TxRecord t : seen()) {
        String app = appByPid.get(t.pid);
        for (TxStep step : t.steps) {
          if (mentions(step, DemoDatabase.PASSWORD)) {
            leaks.add(app + " " + t.name + ": " + step);
          }
        }
        String kind = app == null ? null : kindOf(t, app, appByPid);
        if (kind != null) {
          shown.computeIfAbsent(app, a -> new TreeSet<>()).add(kind);
        }
      }
      Map<String, List<String>> missing = new TreeMap<>();
      for (DemoApps.AppSpec app : DemoApps.DEFAULT) {
        List<String> kinds = new ArrayList<>(KINDS);
        kinds.removeAll(shown.getOrDefault(app.appName(), Set.of()));
        if (!kinds.isEmpty()) {
          missing.put(app.appName(), kinds);
        }
      }
      return missing;
    }, Map::isEmpty);
    assertThat(leaks).as("steps that carry the database's credentials").isEmpty();

    await("an error status", DemoEndToEndTest::seen, l -> l.stream().anyMatch(
        t -> t.name.equals("/busy") && t.status == 503 && t.error));
  }

  /**
   * Which of {@link #KINDS} this transaction shows as recorded, or null. The SQL steps come from
   * whatap-jdbc over the app's H2 database ({@code jdbc:h2:mem:<app>}, no credentials) with the rows
   * the route read as their fetch count; an outgoing call counts once its step names the traced
   * client of the app (the Vert.x client on demo-vertx, java.net.http elsewhere) and its callee
   * arrived from the app the caller's /checkout calls, linked to the caller.
   */
  private static String kindOf(TxRecord t, String app, Map<Integer, String> appByPid) {
    String dbc = "jdbc:h2:mem:" + app;
    List<TxStep> sql = steps(t, "sql");
    boolean sqlOnAppDb = sql.stream().allMatch(x -> dbc.equals(x.detail()));
    switch (t.name) {
      case "/hello":
        return t.status == 200 && !t.error && count(t, "method") == 1 && sql.isEmpty() ? "normal" : null;
      case "/slow":
        return t.status == 200 && t.elapsed >= 800 && count(t, "method") == 1 && sql.size() == 1 && sqlOnAppDb
            && sql.get(0).title().contains("SYSTEM_RANGE") && sql.get(0).number() == DemoDatabase.CATEGORIES
            ? "slow with its slow query" : null;
      case "/fail":
        // the statement's own error (whatap-jdbc, the transaction's first error: its error class),
        // then the application's exception the server saw
        List<TxStep> errors = steps(t, "error");
        return t.status == 500 && t.error && H2_CHECK_VIOLATION.equals(t.errorClass)
            && sql.size() == 1 && sqlOnAppDb && sql.get(0).title().startsWith("UPDATE accounts")
            && sql.get(0).number() == 0 && errors.size() == 2
            && errors.get(0).title().equals(H2_CHECK_VIOLATION) && errors.get(0).detail().startsWith("[SQLState 23513]")
            && errors.get(1).title().equals(IllegalStateException.class.getName())
            ? "failing statement" : null;
      case "/orders/{id}":
        List<TxStep> conns = steps(t, "dbconn");
        return t.status == 200 && conns.size() == 1 && dbc.equals(conns.get(0).title()) && sql.size() == 2
            && sqlOnAppDb && sql.get(0).title().startsWith("SELECT id, customer_id, total FROM orders")
            && sql.get(0).number() == 1
            && sql.get(1).number() >= 1 && sql.get(1).number() <= 5 // order n has n % 5 + 1 lines
            ? "SQL with fetch counts" : null;
      case "/checkout":
        if (t.status != 200) {
          return null;
        }
        List<TxStep> calls = steps(t, "httpc");
        if (calls.size() != 1 || sql.size() != 2 || !sqlOnAppDb
            || !sql.get(0).title().startsWith("SELECT name, price, stock FROM products") || sql.get(0).number() != 1
            || !sql.get(1).title().startsWith("INSERT INTO orders") || sql.get(1).number() != 1) {
          return null;
        }
        TxStep call = calls.get(0);
        TxRecord callee = call.number() == 0 ? null : demo.agent().state().transaction(call.number());
        String driver = app.equals("demo-vertx") ? "vertx-httpclient" : "java.net.http";
        return callee != null && callee.name.equals("/inventory/{id}") && callee.callerTxid == t.txid
            && callee.mtid == t.mtid && t.mtid != 0 && peerOf(app).equals(appByPid.get(callee.pid))
            && call.title().startsWith(peerUrlOf(app) + "/inventory/") && driver.equals(call.detail())
            ? "checkout: lookup, linked outgoing call, order insert" : null;
      default:
        return null;
    }
  }

  private static final String H2_CHECK_VIOLATION = "org.h2.jdbc.JdbcSQLIntegrityConstraintViolationException";

  private static List<TxStep> steps(TxRecord t, String stepKind) {
    return t.steps.stream().filter(x -> x.kind().equals(stepKind)).toList();
  }

  private static boolean mentions(TxStep step, String secret) {
    return (step.title() != null && step.title().contains(secret)) || (step.detail() != null && step.detail().contains(secret))
        || (step.text() != null && step.text().contains(secret));
  }

  private static long count(TxRecord t, String stepKind) {
    return t.steps.stream().filter(x -> x.kind().equals(stepKind)).count();
  }

  private static String peerUrlOf(String app) {
    String peer = peerOf(app);
    return demo.apps().stream().filter(a -> a.spec().appName().equals(peer)).findFirst().orElseThrow().url();
  }

  private static String peerOf(String app) {
    for (DemoApps.AppSpec spec : DemoApps.DEFAULT) {
      if (spec.appName().equals(app)) {
        return DemoApps.DEFAULT.get(spec.peer()).appName();
      }
    }
    throw new AssertionError("not a demo app: " + app);
  }

  @Test
  void theDashboardShowsLiveTpsAndAClickOpensATransactionProfile() throws Exception {
    Path chromium = HeadlessChromium.find();
    if (chromium == null) {
      fail("This test needs headless Chromium and none is on the PATH (looked for chromium, chromium-browser,"
          + " google-chrome). Install it with: apt-get install -y chromium");
    }
    try (HeadlessChromium browser = HeadlessChromium.start(chromium, 1400, 1800)) {
      browser.navigate(demo.dashboardUrl());
      await("a non-zero TPS figure on the dashboard", () -> browser.eval(
          "Number((document.getElementById('kpi-tps') || {dataset: {}}).dataset.value || 0)"),
          v -> ((Number) v).doubleValue() > 0);
      await("rows in the transaction table", () -> browser.eval(
          "document.querySelectorAll('#recent tbody tr[data-txid]').length"), v -> ((Number) v).intValue() > 0);
      browser.screenshot(Path.of("target", "dashboard.png"));

      JsonObject row = new JsonObject((String) browser.eval("(() => {"
          + " const r = document.querySelector('#recent tbody tr[data-txid]');"
          + " r.scrollIntoView({block: 'center'});"
          + " const b = r.getBoundingClientRect();"
          + " return JSON.stringify({x: b.left + Math.min(b.width / 2, 300), y: b.top + b.height / 2}); })()"));
      double x = row.getDouble("x");
      double y = row.getDouble("y");
      // with the pointer over it the table holds still, so the row under the pointer is the one clicked
      browser.mouse("mouseMoved", x, y);
      String txid = (String) browser.eval("document.elementFromPoint(" + x + ", " + y + ").closest('tr').dataset.txid");
      assertThat(txid).matches("-?\\d+");
      browser.click(x, y);

      Object shown = await("the profile of transaction " + txid, () -> browser.eval(
          "(() => { const p = document.getElementById('profile');"
              + " return p.hidden ? '' : p.dataset.txid + ' ' + document.querySelectorAll('#profile .timeline .row').length"
              + " + ' ' + document.getElementById('profile-title').textContent; })()"),
          v -> ((String) v).startsWith(txid + " ") && ((String) v).split(" ")[1].compareTo("1") >= 0);
      assertThat((String) shown).as("the profile names the transaction").contains("/");
      assertThat(browser.eval("document.querySelector('#profile dl.meta').textContent")).asString()
          .contains(txid).contains("pid");
      browser.screenshot(Path.of("target", "dashboard-profile.png"));
    }
  }
}
