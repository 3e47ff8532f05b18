package io.whatap.agent.http;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.whatap.agent.apps.ActiveTx;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.assembly.TxStep;
import io.whatap.agent.history.TransactionHistory;
import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.intervals.Stats;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.query.AppView;
import io.whatap.agent.settings.AgentSettings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The dashboard page, the JSON API behind it and {@code /metrics}. Every handler copies what it
 * needs out of the read side ({@link AgentQuery}) and renders outside the state lock. Transaction ids are
 * 64-bit and travel as decimal strings, since JavaScript numbers cannot hold them.
 */
public final class HttpApi {
  private static final String JSON = "application/json; charset=utf-8";

  private final AgentQuery state;
  private final AgentSettings settings;
  private final byte[] token;
  private final String indexHtml;
  private final HttpGuard guard;
  private final Consumer<Throwable> onError;

  public HttpApi(AgentQuery state) {
    this(state, error -> { });
  }

  /** @param onError told of an {@link Error} met while answering (the process ends on one) */
  public HttpApi(AgentQuery state, Consumer<Throwable> onError) {
    this.state = state;
    this.settings = state.settings();
    this.token = settings.token.getBytes(StandardCharsets.UTF_8);
    this.indexHtml = DashboardPage.load();
    this.guard = new HttpGuard(settings, DashboardPage.contentSecurityPolicy(indexHtml));
    this.onError = onError;
  }

  public HttpGuard guard() {
    return guard;
  }

  public void mount(Router router) {
    router.route().order(-2).handler(guard::handle);
    if (token.length > 0) {
      router.route().order(-1).handler(this::authorize);
    }
    router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8")
        .putHeader("cache-control", "no-store").end(indexHtml));
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", MetricsText.CONTENT_TYPE)
        .end(MetricsText.render(state, guard)));
    router.get("/api/apps").handler(this::apps);
    router.get("/api/summary").handler(this::summary);
    router.get("/api/series").handler(this::series);
    router.get("/api/transactions").handler(this::transactions);
    router.get("/api/transactions/:txid").handler(this::transaction);
    router.get("/api/active").handler(this::active);
    router.get("/api/stats/names").handler(this::names);
    router.get("/api/hitmap").handler(this::hitmap);
    router.get("/api/agent").handler(this::agent);
    router.post("/api/apps/:id/threaddump").handler(ctx -> threadDump(ctx, true));
    router.get("/api/apps/:id/threaddump").handler(ctx -> threadDump(ctx, false));
    router.route("/api/*").handler(ctx -> error(ctx, 404, "no such API: " + ctx.request().path()));
    router.route().failureHandler(ctx -> {
      if (ctx.failure() instanceof Error e) {
        onError.accept(e);
      }
      if (!ctx.response().ended()) {
        error(ctx, ctx.statusCode() > 0 ? ctx.statusCode() : 500, "internal error");
      }
    });
  }

  private void authorize(RoutingContext ctx) {
    String given = null;
    String header = ctx.request().getHeader("authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      given = header.substring(7).trim();
    } else {
      given = ctx.request().getParam("token");
    }
    if (given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("www-authenticate", "Bearer realm=\"whatap-agent\"");
    error(ctx, 401, "this agent requires its token: 'Authorization: Bearer <agent_token>' or '?token=<agent_token>'");
  }

  // ---------------------------------------------------------------- handlers

  private void apps(RoutingContext ctx) {
    long now = state.now();
    JsonArray arr = new JsonArray();
    for (AppView a : state.apps()) {
      arr.add(appJson(a, now));
    }
    json(ctx, new JsonObject().put("now", now).put("apps", arr));
  }

  private JsonObject appJson(AppView a, long now) {
    JsonObject o = new JsonObject().put("id", a.id()).put("pid", a.pid()).put("name", a.name())
        .put("provisional", a.provisional()).put("host", a.host()).put("process", a.process())
        .put("source", a.source()).put("firstSeen", a.firstSeen()).put("lastHeard", a.lastHeard())
        .put("live", a.lastHeard() >= now - liveWindow()).put("count", a.count()).put("errors", a.errors())
        .put("avgMs", a.count() == 0 ? 0.0 : (double) a.elapsedSum() / a.count())
        .put("bands", bands(a.bands())).put("active", sum(a.bands()));
    if (a.countersAt() >= now - liveWindow()) {
      JsonObject c = new JsonObject();
      for (Map.Entry<String, Object> e : a.counters().entrySet()) {
        if (e.getValue() instanceof Number || e.getValue() instanceof String) {
          c.put(e.getKey(), e.getValue());
        }
      }
      o.put("counters", c).put("countersAt", a.countersAt());
    }
    if (a.dbPool() != null) {
      o.put("dbPool", a.dbPool());
    }
    return o;
  }

  private long liveWindow() {
    return settings.liveWindowMs();
  }

  private void summary(RoutingContext ctx) {
    Integer app = appParam(ctx);
    if (app == null) {
      return;
    }
    IntervalSummary last = state.lastInterval(app);
    Stats open = state.openInterval(app);
    JsonObject o = new JsonObject().put("app", app).put("now", state.now()).put("intervalMs", settings.intervalMs)
        .put("last", last == null ? null : intervalJson(last))
        .put("open", new JsonObject().put("count", open.count).put("errors", open.errors)
            .put("avg", open.average()).put("max", open.max))
        .put("agent", agentMeters());
    json(ctx, o);
  }

  private void series(RoutingContext ctx) {
    Integer app = appParam(ctx);
    Integer minutes = app == null ? null : intParam(ctx, "minutes", 15, 1, 24 * 60);
    if (minutes == null) {
      return;
    }
    long since = state.now() - minutes * 60_000L;
    JsonObject o = new JsonObject().put("app", app).put("intervalMs", settings.intervalMs)
        .put("points", points(state.series(app, since)));
    if (app == 0) {
      JsonArray perApp = new JsonArray();
      for (AppView a : state.apps()) {
        List<IntervalSummary> s = state.series(a.id(), since);
        if (s != null) {
          perApp.add(new JsonObject().put("id", a.id()).put("name", a.name()).put("pid", a.pid())
              .put("points", points(s)));
        }
      }
      o.put("apps", perApp);
    }
    json(ctx, o);
  }

  private JsonArray points(List<IntervalSummary> list) {
    JsonArray arr = new JsonArray();
    for (IntervalSummary s : list) {
      arr.add(intervalJson(s));
    }
    return arr;
  }

  private static JsonObject intervalJson(IntervalSummary s) {
    return new JsonObject().put("t", s.start()).put("durationMs", s.durationMs()).put("tps", s.tps())
        .put("count", s.count()).put("errors", s.errors()).put("errorRate", s.errorRate()).put("avg", s.avg())
        .put("min", s.min()).put("max", s.max()).put("p50", s.p50()).put("p90", s.p90()).put("p99", s.p99())
        .put("active", s.activeTotal()).put("bands", bands(s.bands()))
        .put("cpuPct", Double.isNaN(s.cpuPct()) ? null : s.cpuPct())
        .put("heapUsed", s.heapUsed() < 0 ? null : s.heapUsed())
        .put("heapMax", s.heapMax() < 0 ? null : s.heapMax()).put("gcCount", s.gcCount())
        .put("gcTimeMs", s.gcTimeMs()).put("threads", s.threads() < 0 ? null : s.threads());
  }

  private void transactions(RoutingContext ctx) {
    Integer app = appParam(ctx);
    Integer limit = app == null ? null : intParam(ctx, "limit", 50, 1, 10_000);
    if (limit == null) {
      return;
    }
    String kind = ctx.request().getParam("kind", "recent");
    if (!kind.equals("recent") && !kind.equals("slow")) {
      error(ctx, 400, "kind must be 'recent' or 'slow' (slow and failed transactions, kept longer)");
      return;
    }
    JsonArray arr = new JsonArray();
    Map<Integer, String> names = state.appNames();
    for (TxRecord t : state.transactions(app, kind.equals("slow"), limit)) {
      arr.add(txSummary(t, names));
    }
    json(ctx, new JsonObject().put("kind", kind).put("transactions", arr));
  }

  /** One transaction's list entry; {@code names}: the applications' current names (see {@link AgentQuery#appNames()}). */
  private static JsonObject txSummary(TxRecord t, Map<Integer, String> names) {
    JsonObject o = new JsonObject().put("txid", Long.toString(t.txid)).put("appId", t.appId)
        .put("app", names.getOrDefault(t.appId, t.app))
        .put("pid", t.pid).put("name", t.name).put("method", t.method).put("status", t.status)
        .put("start", t.start).put("end", t.end).put("elapsed", t.elapsed).put("error", t.error)
        .put("steps", t.steps.size());
    if (t.errorClass != null) {
      o.put("errorClass", t.errorClass);
    }
    if (t.mtid != 0) {
      o.put("mtid", Long.toString(t.mtid));
    }
    return o;
  }

  private void transaction(RoutingContext ctx) {
    long txid;
    try {
      txid = Long.parseLong(ctx.pathParam("txid"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "a transaction id is a decimal 64-bit integer");
      return;
    }
    TxRecord t = state.transaction(txid);
    if (t == null) {
      error(ctx, 404, "transaction " + txid + " is not kept (the agent keeps the last " + settings.recentMax
          + " transactions and the last " + settings.keptMax + " slow or failed ones)");
      return;
    }
    Map<Integer, String> names = state.appNames();
    JsonObject o = txSummary(t, names).put("host", t.host).put("clientIp", t.clientIp).put("userAgent", t.userAgent)
        .put("referer", t.referer).put("errorMessage", t.errorMessage).put("cpuMs", t.cpuMs)
        .put("stepsDropped", t.stepsDropped).put("startMissing", t.startMissing).put("activeStack", t.activeStack)
        .put("mdepth", t.mdepth);
    JsonArray steps = new JsonArray();
    Map<Long, TxRecord> kept = new HashMap<>();
    List<TxRecord> chain = state.chain(t.mtid, t.txid);
    for (TxRecord c : chain) {
      kept.put(c.txid, c);
    }
    for (TxStep s : t.steps) {
      JsonObject j = new JsonObject().put("kind", s.kind()).put("offset", s.time() - t.start)
          .put("elapsed", s.elapsed()).put("title", s.title()).put("detail", s.detail()).put("text", s.text());
      if (s.kind().equals("sql")) {
        j.put("fetch", s.number());
      } else if (s.kind().equals("httpc") && s.number() != 0) {
        j.put("calleeTxid", Long.toString(s.number()));
        TxRecord callee = kept.containsKey(s.number()) ? kept.get(s.number()) : state.transaction(s.number());
        if (callee != null) {
          j.put("callee", txSummary(callee, names));
        }
      }
      steps.add(j);
    }
    o.put("stepList", steps);
    if (t.callerTxid != 0) {
      JsonObject caller = new JsonObject().put("txid", Long.toString(t.callerTxid)).put("spec", t.callerSpec)
          .put("url", t.callerUrl);
      TxRecord c = kept.containsKey(t.callerTxid) ? kept.get(t.callerTxid) : state.transaction(t.callerTxid);
      if (c != null) {
        caller.put("transaction", txSummary(c, names));
      }
      o.put("caller", caller);
    }
    JsonArray chainJson = new JsonArray();
    for (TxRecord c : chain) {
      chainJson.add(txSummary(c, names).put("mdepth", c.mdepth));
    }
    o.put("chain", chainJson);
    json(ctx, o);
  }

  private void active(RoutingContext ctx) {
    Integer app = appParam(ctx);
    if (app == null) {
      return;
    }
    long now = state.now();
    JsonArray arr = new JsonArray();
    for (AppView a : state.apps()) {
      if (app != 0 && a.id() != app) {
        continue;
      }
      JsonArray actives = new JsonArray();
      for (ActiveTx t : a.actives()) {
        actives.add(new JsonObject().put("txid", Long.toString(t.txid())).put("runningMs", t.runningAt(now))
            .put("threadId", t.threadId()).put("method", t.method()).put("name", t.name())
            .put("stack", a.stacks().get(t.txid())));
      }
      arr.add(new JsonObject().put("id", a.id()).put("name", a.name()).put("pid", a.pid())
          .put("bands", bands(a.bands())).put("active", sum(a.bands())).put("transactions", actives));
    }
    json(ctx, new JsonObject().put("now", now).put("stackAfterMs", settings.stackAfterMs).put("apps", arr));
  }

  private void names(RoutingContext ctx) {
    Integer app = appParam(ctx);
    Integer intervals = app == null ? null
        : intParam(ctx, "intervals", settings.nameWindowIntervals, 0, settings.nameWindowIntervals);
    if (intervals == null) {
      return;
    }
    List<Map.Entry<String, Stats>> rows = new ArrayList<>(state.names(app, intervals).entrySet());
    rows.sort((x, y) -> Long.compare(y.getValue().sum, x.getValue().sum));
    JsonArray arr = new JsonArray();
    for (Map.Entry<String, Stats> e : rows) {
      Stats s = e.getValue();
      arr.add(new JsonObject().put("name", e.getKey()).put("count", s.count).put("errors", s.errors)
          .put("errorRate", s.errorRate()).put("sum", s.sum).put("avg", s.average()).put("min", s.minOrZero())
          .put("max", s.max).put("p50", s.percentile(50)).put("p90", s.percentile(90))
          .put("p99", s.percentile(99)));
    }
    json(ctx, new JsonObject().put("app", app).put("intervals", intervals)
        .put("windowMs", intervals == 0 ? null : (long) intervals * settings.intervalMs).put("names", arr));
  }

  private void hitmap(RoutingContext ctx) {
    Integer app = appParam(ctx);
    Integer minutes = app == null ? null : intParam(ctx, "minutes", 5, 1, 24 * 60);
    Integer limit = minutes == null ? null : intParam(ctx, "limit", 5000, 1, settings.hitmapMax);
    if (limit == null) {
      return;
    }
    JsonArray arr = new JsonArray();
    for (TransactionHistory.HitPoint p : state.hitmap(app, state.now() - minutes * 60_000L, limit)) {
      arr.add(new JsonArray().add(p.end()).add(p.elapsed()).add(p.appId()).add(p.error() ? 1 : 0));
    }
    json(ctx, new JsonObject().put("fields", new JsonArray().add("end").add("elapsed").add("appId").add("error"))
        .put("points", arr));
  }

  /** POST: ask the application for a thread dump (202); GET: the last one it answered (404: none yet). */
  private void threadDump(RoutingContext ctx, boolean ask) {
    int id;
    try {
      id = Integer.parseInt(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      error(ctx, 400, "an application id is an integer (see /api/apps)");
      return;
    }
    if (state.app(id) == null) {
      error(ctx, 404, "no application with id " + id + " (see /api/apps)");
      return;
    }
    if (ask) {
      if (!state.askThreadDump(id)) {
        error(ctx, 409, "the agent has no address to ask application " + id + " (nothing heard from it since start)");
        return;
      }
      ctx.response().setStatusCode(202);
      json(ctx, new JsonObject().put("app", id).put("askedAt", state.now()));
      return;
    }
    AgentQuery.ThreadDump d = state.threadDump(id);
    if (d == null) {
      error(ctx, 404, "application " + id + " has sent no thread dump yet (POST to ask for one)");
      return;
    }
    json(ctx, new JsonObject().put("app", id).put("at", d.at()).put("text", d.text()));
  }

  private void agent(RoutingContext ctx) {
    JsonObject s = new JsonObject().put("udp", settings.udpHost + ":" + settings.udpPort)
        .put("http", settings.httpHost + ":" + settings.httpPort).put("tokenRequired", token.length > 0)
        .put("intervalMs", settings.intervalMs).put("historyIntervals", settings.historyIntervals)
        .put("recentMax", settings.recentMax).put("keptMax", settings.keptMax).put("slowMs", settings.slowMs)
        .put("stackAfterMs", settings.stackAfterMs).put("activePollMs", settings.activePollMs)
        .put("pendingMax", settings.pendingMax).put("profileStepsMax", settings.profileStepsMax)
        .put("offerStartEnd", settings.offerStartEnd);
    json(ctx, new JsonObject().put("settings", s).put("meters", agentMeters())
        .put("lastMalformed", state.lastMalformed()));
  }

  private JsonObject agentMeters() {
    return new JsonObject().put("datagrams", state.datagrams.sum()).put("bytes", state.bytes.sum())
        .put("frames", state.frames.sum()).put("malformed", state.malformed.sum())
        .put("oversized", state.oversized.sum()).put("unknownFrames", state.unknownFrames.sum())
        .put("unattributed", state.unattributed.sum()).put("pendingEvicted", state.pendingEvicted.sum())
        .put("pendingExpired", state.pendingExpired.sum()).put("startsMissing", state.startsMissing.sum())
        .put("stepsDropped", state.stepsDropped.sum()).put("completed", state.completed())
        .put("pending", state.pendingCount()).put("recent", state.recentCount()).put("kept", state.keptCount())
        .put("pendingBytes", state.pendingBytes()).put("namesBytes", state.namesBytes())
        .put("pendingEvictedForMemory", state.pendingEvictedForMemory.sum())
        .put("stepsDroppedForMemory", state.stepsDroppedForMemory.sum()).put("namesFolded", state.namesFolded.sum())
        .put("bandsDropped", state.bandsDropped.sum()).put("counterFieldsDropped", state.counterFieldsDropped.sum())
        .put("activeEntriesDropped", state.activeEntriesDropped.sum()).put("unsigned", state.unsigned.sum())
        .put("receiveErrors", state.receiveErrors.sum());
  }

  // ---------------------------------------------------------------- helpers

  /** The app parameter (0 or absent: all applications), or null after answering 400/404. */
  private Integer appParam(RoutingContext ctx) {
    Integer id = intParam(ctx, "app", 0, 0, Integer.MAX_VALUE);
    if (id != null && id != 0 && state.app(id) == null) {
      error(ctx, 404, "no application with id " + id + " (see /api/apps)");
      return null;
    }
    return id;
  }

  private Integer intParam(RoutingContext ctx, String name, int def, int min, int max) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return (int) n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    error(ctx, 400, name + " must be an integer in [" + min + ", " + max + "]");
    return null;
  }

  private static JsonArray bands(int[] bands) {
    JsonArray a = new JsonArray();
    for (int b : bands) {
      a.add(b);
    }
    return a;
  }

  private static int sum(int[] bands) {
    int n = 0;
    for (int b : bands) {
      n += b;
    }
    return n;
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    HttpServerResponse r = ctx.response();
    r.putHeader("content-type", JSON).putHeader("cache-control", "no-store").end(body.encode());
  }

  static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("content-type", JSON)
        .end(new JsonObject().put("error", message).encode());
  }
}
