package io.whatap.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import io.whatap.agent.AgentState;
import io.whatap.agent.assembly.TxRecord;
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
  private static final List<String> KINDS = List.of("normal", "slow", "failing", "SQL-like", "outgoing call");

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
    await("every kind of request from every app", () -> {
      for (TxRecord t : seen()) {
        String app = appByPid.get(t.pid);
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

    await("an error status", DemoEndToEndTest::seen, l -> l.stream().anyMatch(
        t -> t.name.equals("/busy") && t.status == 503 && t.error));
  }

  /**
   * Which of {@link #KINDS} this transaction shows as recorded, or null. An outgoing call counts once
   * its callee arrived from the app the caller's /checkout calls, linked to the caller.
   */
  private static String kindOf(TxRecord t, String app, Map<Integer, String> appByPid) {
    switch (t.name) {
      case "/hello":
        return t.status == 200 && !t.error && count(t, "method") == 1 ? "normal" : null;
      case "/slow":
        return t.status == 200 && t.elapsed >= 800 && count(t, "method") == 1 ? "slow" : null;
      case "/fail":
        return t.status == 500 && t.error && IllegalStateException.class.getName().equals(t.errorClass)
            && count(t, "sql") == 1 ? "failing" : null;
      case "/orders/{id}":
        return t.status == 200 && count(t, "dbconn") == 1 && count(t, "sql") == 2 ? "SQL-like" : null;
      case "/checkout":
        TxRecord callee = calleeOf(t);
        return callee != null && callee.name.equals("/inventory/{id}") && callee.callerTxid == t.txid
            && callee.mtid == t.mtid && t.mtid != 0 && peerOf(app).equals(appByPid.get(callee.pid))
            ? "outgoing call" : null;
      default:
        return null;
    }
  }

  private static TxRecord calleeOf(TxRecord caller) {
    for (TxStep step : caller.steps) {
      if (step.kind().equals("httpc") && step.number() != 0) {
        return demo.agent().state().transaction(step.number());
      }
    }
    return null;
  }

  private static long count(TxRecord t, String stepKind) {
    return t.steps.stream().filter(x -> x.kind().equals(stepKind)).count();
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
