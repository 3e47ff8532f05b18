package io.whatap.agent.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import io.whatap.agent.LocalAgent;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.config.ConfigLoader;
import io.whatap.runtime.Agent;
import io.whatap.trace.TraceContext;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in headless Chromium against a real local agent fed by a real in-process
 * application over UDP: the time-range picker and drag-to-zoom, the names table and a name page,
 * the error groups, deep links across a reload, and a box selected on the hitmap. Screenshots go to
 * target/dashboard-*.png.
 */
class DashboardBrowserTest {
  private static final Path SHOTS = Path.of("target");
  /** A txid that is negative as a Java long: the page must show it unsigned. */
  private static final long NEGATIVE_TXID = -4_321_987_654_321_987L;
  private static final int FAILED = 7;

  private static LocalAgent agent;
  private static Agent app;
  private static HeadlessChromium browser;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    Path chromium = HeadlessChromium.find();
    if (chromium == null) {
      fail("This test needs headless Chromium and none is on the PATH (looked for chromium, chromium-browser,"
          + " google-chrome). Install it with: apt-get install -y chromium");
    }
    agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_interval_ms", "1000")));
    base = "http://127.0.0.1:" + agent.httpPort() + "/";
    Path home = Files.createTempDirectory("whatap-dashboard-test");
    app = Agent.startStandalone(new ConfigLoader(home, Map.of("WHATAP_NET_UDP_HOST", "127.0.0.1",
        "WHATAP_NET_UDP_PORT", String.valueOf(agent.udpPort()), "WHATAP_APP_NAME", "shop",
        "WHATAP_COUNTER_INTERVAL_MS", "1000", "WHATAP_BANNER_ENABLED", "false"), new Properties()));
    for (int i = 0; i < 30; i++) {
      TraceContext list = app.tracer.start("/shop/list");
      list.requestFrom("GET", null, null, null, null);
      list.sql("jdbc:h2:mem:shop", "SELECT * FROM item WHERE shelf = ?", System.currentTimeMillis(), 2, 10 + i);
      list.httpCall("http://stock.local/api/level?item=" + i, System.currentTimeMillis(), 3, 200);
      app.tracer.end(list, 200, null);
    }
    for (int i = 0; i < FAILED; i++) {
      TraceContext pay = app.tracer.start("/shop/pay");
      pay.requestFrom("POST", null, null, null, null);
      app.tracer.end(pay, 500, new IllegalStateException("payment " + (1000 + i) + " refused"));
    }
    TraceContext odd = app.tracer.start("/shop/odd-id", NEGATIVE_TXID);
    odd.requestFrom("GET", null, null, null, null);
    app.tracer.end(odd, 200, null);
    await("every transaction at the agent", () -> agent.state().transactions(0, false, 1000).size(), n -> n >= 38);
    await("a closed interval with transactions", () -> agent.state().series(0, 0).stream()
        .anyMatch(s -> s.count() > 0), ok -> ok);
    browser = HeadlessChromium.start(chromium, 1400, 1600);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (app != null) {
      app.close();
    }
    if (agent != null) {
      agent.close();
    }
  }

  @BeforeEach
  void overview() throws Exception {
    open("");
  }

  private static void open(String hash) throws Exception {
    browser.navigate("about:blank");
    browser.navigate(base + hash);
    await("the page loaded", () -> browser.eval("document.body && document.body.dataset.refreshed || ''"),
        v -> !((String) v).isEmpty());
  }

  private static <T> T await(String what, Callable<T> probe, Predicate<T> done) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = probe.call();
      } catch (IllegalStateException e) {
        last = null; // a script run while the page is (re)loading
      }
      if (last != null && done.test(last)) {
        return last;
      }
      LockSupport.parkNanos(100_000_000L); // poll interval; the deadline bounds the wait
    }
    throw new AssertionError("timed out waiting for " + what + "; last seen: " + last);
  }

  /** The page coordinates of the element's centre (scrolled into view), or of a point in it (fx, fy: 0..1). */
  private static double[] at(String selector, double fx, double fy) throws Exception {
    JsonObject b = new JsonObject((String) browser.eval("(() => { const e = document.querySelector("
        + JsonObject.of("s", selector).encode() + ".s); e.scrollIntoView({block: 'center'});"
        + " const r = e.getBoundingClientRect(); return JSON.stringify({x: r.left + r.width * " + fx
        + ", y: r.top + r.height * " + fy + "}); })()"));
    return new double[] {b.getDouble("x"), b.getDouble("y")};
  }

  private static void click(String selector) throws Exception {
    double[] p = at(selector, 0.5, 0.5);
    browser.click(p[0], p[1]);
  }

  private static void drag(String selector, double fx0, double fy0, double fx1, double fy1) throws Exception {
    double[] a = at(selector, fx0, fy0);
    double[] b = at(selector, fx1, fy1);
    browser.mouse("mouseMoved", a[0], a[1]);
    browser.mouse("mousePressed", a[0], a[1]);
    for (int i = 1; i <= 10; i++) {
      browser.mouse("mouseMoved", a[0] + (b[0] - a[0]) * i / 10, a[1] + (b[1] - a[1]) * i / 10);
      // a frame between moves: Chromium coalesces the moves of one frame into the last
      browser.eval("new Promise(done => requestAnimationFrame(() => done(0)))");
    }
    browser.mouse("mouseReleased", b[0], b[1]);
  }

  private static String text(String selector) throws Exception {
    return (String) browser.eval("(document.querySelector(" + JsonObject.of("s", selector).encode()
        + ".s) || {textContent: ''}).textContent");
  }

  private static long span(String chart) throws Exception {
    return ((Number) browser.eval("(() => { const d = document.getElementById('" + chart
        + "').dataset; return (Number(d.x1) - Number(d.x0)) || 0; })()")).longValue();
  }

  @Test
  void pickingATimeRangeAndDraggingAcrossAChartChangeWhatEveryChartShows() throws Exception {
    await("the TPS chart drawn with data", () -> browser.eval(
        "Number(document.getElementById('chart-tps').dataset.points || 0)"), v -> ((Number) v).intValue() > 0);
    assertThat(span("chart-tps")).as("live: the last 15 minutes").isEqualTo(15 * 60_000L);
    browser.screenshot(SHOTS.resolve("dashboard-live.png"));

    click("#range button[data-range='1h']");
    await("every chart over one hour", () -> span("chart-tps") == 3_600_000L && span("chart-resp") == 3_600_000L
        && span("chart-hitmap") == 3_600_000L, ok -> ok);
    assertThat((String) browser.eval("location.hash")).isEqualTo("#/?range=1h");
    assertThat(browser.eval("document.querySelector('#range button.on').dataset.range")).isEqualTo("1h");
    browser.screenshot(SHOTS.resolve("dashboard-range-1h.png"));

    drag("#chart-tps .u-over", 0.5, 0.5, 0.99, 0.5);
    String zoomed = (String) await("a custom range from the zoom", () -> browser.eval("location.hash"),
        h -> ((String) h).matches("#/\\?from=\\d+&to=\\d+"));
    long spanNow = await("the charts redrawn over the zoomed range", () -> span("chart-tps"), v -> v < 3_600_000L);
    assertThat(spanNow).as("half of the hour, zoomed into").isBetween(25 * 60_000L, 31 * 60_000L);
    assertThat(span("chart-errors")).as("every chart follows").isEqualTo(spanNow);
    assertThat(browser.eval("document.querySelector('#range button.on').dataset.range")).isEqualTo("custom");
    browser.screenshot(SHOTS.resolve("dashboard-zoomed.png"));

    // the range survives a reload
    browser.call("Page.reload", new JsonObject());
    await("the zoomed range after a reload", () -> span("chart-tps"), s -> s == spanNow);
    assertThat((String) browser.eval("location.hash")).isEqualTo(zoomed);
  }

  @Test
  void theNamesTableIsSearchableSortableAndOpensANamePage() throws Exception {
    await("the names table", () -> browser.eval("document.querySelectorAll('#names tr[data-name]').length"),
        n -> ((Number) n).intValue() >= 3);
    click("#names th[data-sort='name']");
    assertThat(browser.eval("Array.from(document.querySelectorAll('#names tr[data-name]')).map(r => r.dataset.name).join()"))
        .isEqualTo("/shop/list,/shop/odd-id,/shop/pay");
    browser.eval("(() => { const f = document.getElementById('names-filter'); f.value = 'pay';"
        + " f.dispatchEvent(new Event('input')); })()");
    assertThat(browser.eval("Array.from(document.querySelectorAll('#names tr[data-name]')).map(r => r.dataset.name).join()"))
        .isEqualTo("/shop/pay");
    click("#names tr[data-name='/shop/pay']");

    await("the name page", () -> text("#name-title"), t -> t.equals("/shop/pay"));
    assertThat((String) browser.eval("location.hash")).startsWith("#/name/%2Fshop%2Fpay");
    await("its failed transactions", () -> browser.eval("document.querySelectorAll('#name-failed tr[data-txid]').length"),
        n -> ((Number) n).intValue() == FAILED);
    await("its count chart", () -> browser.eval("Number(document.getElementById('chart-name-count').dataset.points || 0)"),
        n -> ((Number) n).intValue() > 0);
    assertThat(text("#page-name .store-note")).contains("needs the history store");
    browser.screenshot(SHOTS.resolve("dashboard-name.png"));

    open("#/name/" + "%2Fshop%2Flist");
    await("SQL and calls of /shop/list, aggregated from its profiles", () -> text("#name-sql") + "|" + text("#name-calls"),
        t -> t.contains("SELECT * FROM item WHERE shelf = ?") && t.contains("http://stock.local/api/level"));
    assertThat(browser.eval("document.querySelector('#name-sql tbody tr').children[1].textContent"))
        .as("one row for the statement, counted over its transactions").isEqualTo("30");
  }

  @Test
  void errorsAreGroupedByExceptionAndMessagePatternAndAGroupOpens() throws Exception {
    open("#/errors");
    await("the error group", () -> text("#error-groups"),
        t -> t.contains("java.lang.IllegalStateException") && t.contains("payment ? refused"));
    assertThat(browser.eval("document.querySelectorAll('#error-groups tr[data-group]').length")).isEqualTo(1);
    assertThat(browser.eval("document.querySelector('#error-groups tr[data-group]').children[2].textContent"))
        .isEqualTo(String.valueOf(FAILED));
    click("#error-groups tr[data-group] td.errcls");
    await("the group's examples", () -> browser.eval("document.querySelectorAll('#error-group-examples tr[data-txid]').length"),
        n -> ((Number) n).intValue() == FAILED);
    assertThat(text("#error-group-title")).contains("java.lang.IllegalStateException (" + FAILED + ")");
    assertThat((String) browser.eval("location.hash")).startsWith("#/errors/java.lang.IllegalStateException");
    browser.screenshot(SHOTS.resolve("dashboard-errors.png"));
  }

  @Test
  void sqlCallsAndJvmPagesAddUpWhatTheApplicationSent() throws Exception {
    open("#/sql");
    await("the statement, counted over the transactions' profiles", () -> browser.eval(
        "(() => { const r = document.querySelector('#sql-table tr[data-key=\"SELECT * FROM item WHERE shelf = ?\"]');"
            + " return r ? r.children[1].textContent + '|' + r.children[5].textContent : ''; })()"),
        v -> v.equals("30|" + (30 * 10 + 29 * 30 / 2)));
    assertThat(text("#page-sql .store-note")).contains("needs the history store");
    browser.screenshot(SHOTS.resolve("dashboard-sql.png"));

    open("#/calls");
    await("the called URL without its query, once for all items", () -> browser.eval(
        "(() => { const r = document.querySelector('#calls-table tr[data-key=\"http://stock.local/api/level\"]');"
            + " return r ? r.children[1].textContent : ''; })()"), v -> v.equals("30"));

    open("#/jvm");
    await("the heap chart and the latest counters", () -> browser.eval(
        "Number(document.getElementById('chart-heap').dataset.points || 0) > 0"
            + " && document.getElementById('jvm-counters').textContent.includes('heap_used')"), v -> (Boolean) v);
    click("#jvm-dump-buttons button[data-app]");
    await("a thread dump through the back channel", () -> text("#jvm-dump"),
        t -> t.contains("\"whatap-backchannel\" #") && t.contains("\tat "));
    browser.screenshot(SHOTS.resolve("dashboard-jvm.png"));
  }

  @Test
  void deepLinksSurviveAReloadAndTxidsAreNeverNegative() throws Exception {
    String unsigned = new BigInteger(Long.toUnsignedString(NEGATIVE_TXID)).toString();
    open("#/tx/" + unsigned);
    browser.call("Page.reload", new JsonObject());
    await("the profile of the deep-linked transaction", () -> browser.eval(
        "(() => { const p = document.getElementById('profile'); return p.hidden ? '' : p.dataset.txid + '|'"
            + " + document.getElementById('profile-title').textContent; })()"),
        v -> v.equals(unsigned + "|GET /shop/odd-id"));
    assertThat(text("#profile dl.meta")).contains(unsigned).doesNotContain("-4321987654321987");
    browser.screenshot(SHOTS.resolve("dashboard-deeplink.png"));

    click("#profile-close");
    await("the overview under it", () -> browser.eval("document.getElementById('profile').hidden"), h -> (Boolean) h);
    await("the odd transaction in the table", () -> browser.eval(
        "document.querySelectorAll('#recent tr[data-txid]').length"), n -> ((Number) n).intValue() > 0);
    assertThat(browser.eval("Array.from(document.querySelectorAll('[data-txid]')).every(e => /^\\d+$/.test(e.dataset.txid))"))
        .as("every txid on the page unsigned").isEqualTo(true);
    assertThat(browser.eval("Array.from(document.querySelectorAll('#recent tr[data-txid]')).some(r => r.dataset.txid === '"
        + unsigned + "')")).isEqualTo(true);
  }

  @Test
  void aBoxDraggedOnTheHitmapListsTheTransactionsInsideIt() throws Exception {
    await("the hitmap drawn", () -> browser.eval("Number(document.getElementById('chart-hitmap').dataset.points || 0)"),
        n -> ((Number) n).intValue() >= 38);
    // from a third into the 15 minutes at the plot's top to its right and bottom edges:
    // every elapsed after that time, so all of this test's transactions
    drag("#chart-hitmap .u-over", 0.3, 0.002, 0.999, 0.998);
    String title = (String) await("the selection's list", () -> text("#hitmap-selection-title"), t -> !t.isEmpty());
    browser.screenshot(SHOTS.resolve("dashboard-hitmap-selection.png"));
    assertThat(browser.eval("document.getElementById('hitmap-selection').hidden")).isEqualTo(false);
    long rows = ((Number) browser.eval("document.querySelectorAll('#hitmap-list tr[data-txid]').length")).longValue();
    assertThat(rows).as(title + " " + browser.eval("document.getElementById('hitmap-selection').dataset.box"))
        .isGreaterThanOrEqualTo(38);
    assertThat(title).startsWith(rows + " transaction(s)");

    // a box in the left half (before the traffic) holds none
    click("#hitmap-clear");
    drag("#chart-hitmap .u-over", 0.01, 0.002, 0.25, 0.998);
    await("an empty selection", () -> text("#hitmap-selection-title"), t -> t.startsWith("0 transaction(s)"));
  }
}
