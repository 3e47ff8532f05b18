package io.whatap.agent.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.intervals.Stats;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.query.AppView;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * The API over time ranges ({@code from}, {@code to}: epoch ms, the agent's clock): the series,
 * names and transaction lists of {@link HttpApi} when asked for a range, and the pages that only the
 * store has (a name's series and transactions, SQL, calls, error groups). Store reads run on the
 * Vert.x worker, never on the event loop. docs/local-agent.md, HTTP API, shows every answer.
 */
final class HistoryApi {
  /** The most points a series answers with: the resolution is chosen to stay under it. */
  static final int MAX_POINTS = 1500;
  private static final long DEFAULT_RANGE_MS = 3600_000L;

  private final AgentQuery state;
  private final AgentSettings settings;

  HistoryApi(AgentQuery state) {
    this.state = state;
    this.settings = state.settings();
  }

  void mount(Router router) {
    router.get("/api/names/:name/series").handler(this::nameSeries);
    router.get("/api/names/:name/transactions").handler(this::nameTransactions);
    router.get("/api/sql").handler(ctx -> steps(ctx, false));
    router.get("/api/calls").handler(ctx -> steps(ctx, true));
    router.get("/api/errors").handler(this::errors);
  }

  /** A range [from, to) from the request, or null after answering 400. */
  record Range(long from, long to) {
  }

  /** Whether the request asks for a range ({@code from} or {@code to} given). */
  static boolean asksRange(RoutingContext ctx) {
    return ctx.request().getParam("from") != null || ctx.request().getParam("to") != null;
  }

  private Range range(RoutingContext ctx) {
    long now = state.now();
    Long to = longParam(ctx, "to", now);
    Long from = to == null ? null : longParam(ctx, "from", to - DEFAULT_RANGE_MS);
    if (from == null) {
      return null;
    }
    if (from >= to) {
      HttpApi.error(ctx, 400, "from must be before to (epoch milliseconds)");
      return null;
    }
    return new Range(from, to);
  }

  private static Long longParam(RoutingContext ctx, String name, long def) {
    String v = ctx.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    HttpApi.error(ctx, 400, name + " must be a time in epoch milliseconds (a non-negative integer)");
    return null;
  }

  private static Integer limit(RoutingContext ctx, int def, int max) {
    String v = ctx.request().getParam("limit");
    if (v == null || v.isEmpty()) {
      return def;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    HttpApi.error(ctx, 400, "limit must be an integer in [1, " + max + "]");
    return null;
  }

  /** Whose data: {@code app} (an id of /api/apps) or {@code appName}; "" for all; null after answering. */
  private String appName(RoutingContext ctx) {
    String byName = ctx.request().getParam("appName");
    if (byName != null && !byName.isEmpty()) {
      return byName;
    }
    String id = ctx.request().getParam("app");
    if (id == null || id.isEmpty() || id.equals("0")) {
      return "";
    }
    try {
      AppView a = state.app(Integer.parseInt(id));
      if (a != null) {
        return a.name();
      }
      HttpApi.error(ctx, 404, "no application with id " + id + " (see /api/apps; appName=<name> reaches one seen"
          + " before a restart)");
    } catch (NumberFormatException e) {
      HttpApi.error(ctx, 400, "app must be an integer in [0, " + Integer.MAX_VALUE + "]");
    }
    return null;
  }

  /** The store, or null after answering 503 (the store is off). */
  private Store store(RoutingContext ctx) {
    Store s = state.store();
    if (s == null) {
      HttpApi.error(ctx, 503, "this needs the store, which is off"
          + (state.storeError() != null ? ": " + state.storeError() : " (agent_store_enabled=false)"));
    }
    return s;
  }

  /** Runs {@code read} on the worker and answers with what it returns (500 when it throws). */
  private static void answer(RoutingContext ctx, Callable<JsonObject> read) {
    ctx.vertx().executeBlocking(read).onComplete(ar -> {
      if (ar.succeeded()) {
        HttpApi.json(ctx, ar.result());
      } else {
        HttpApi.error(ctx, 500, "reading the store failed: " + ar.cause());
      }
    });
  }

  private JsonObject rangeJson(Range r, long res, String source) {
    return new JsonObject().put("from", r.from).put("to", r.to).put("resolutionMs", res).put("source", source);
  }

  // ---------------------------------------------------------------- ranges on HttpApi's endpoints

  /** {@code /api/series?from&to}: from memory while it holds the range at full resolution, else from the store. */
  void series(RoutingContext ctx, int appId) {
    Range r = range(ctx);
    if (r == null) {
      return;
    }
    long now = state.now();
    long memoryFrom = now - (long) settings.historyIntervals * settings.intervalMs;
    Store store = state.store();
    boolean memory = store == null || (r.from >= memoryFrom && (r.to - r.from) / settings.intervalMs <= MAX_POINTS);
    if (memory) {
      JsonObject o = rangeJson(r, settings.intervalMs, "memory").put("app", appId)
          .put("intervalMs", settings.intervalMs).put("points", points(within(state.series(appId, r.from), r)));
      if (appId == 0) {
        JsonArray perApp = new JsonArray();
        for (AppView a : state.apps()) {
          List<IntervalSummary> s = state.series(a.id(), r.from);
          if (s != null) {
            perApp.add(new JsonObject().put("id", a.id()).put("name", a.name()).put("pid", a.pid())
                .put("points", points(within(s, r))));
          }
        }
        o.put("apps", perApp);
      }
      HttpApi.json(ctx, o);
      return;
    }
    String app = appId == 0 ? "" : state.app(appId).name();
    long res = store.resolutionFor(r.from, r.to, now, MAX_POINTS);
    Map<String, AppView> byName = new LinkedHashMap<>();
    for (AppView a : state.apps()) {
      byName.put(a.name(), a);
    }
    answer(ctx, () -> {
      JsonObject o = rangeJson(r, res, "store").put("app", appId).put("intervalMs", settings.intervalMs)
          .put("points", points(store.series(app, r.from, r.to, res)));
      if (appId == 0) {
        JsonArray perApp = new JsonArray();
        for (String name : store.apps(r.from, r.to, res)) {
          AppView a = byName.get(name);
          perApp.add(new JsonObject().put("id", a == null ? null : a.id()).put("name", name)
              .put("pid", a == null ? null : a.pid()).put("points", points(store.series(name, r.from, r.to, res))));
        }
        o.put("apps", perApp);
      }
      return o;
    });
  }

  private static List<IntervalSummary> within(List<IntervalSummary> list, Range r) {
    List<IntervalSummary> out = new ArrayList<>();
    if (list != null) {
      for (IntervalSummary s : list) {
        if (s.start() >= r.from - s.durationMs() && s.start() < r.to) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static JsonArray points(List<IntervalSummary> list) {
    JsonArray arr = new JsonArray();
    for (IntervalSummary s : list) {
      arr.add(HttpApi.intervalJson(s));
    }
    return arr;
  }

  /** {@code /api/stats/names?from&to}: per-name statistics over the range, from the store. */
  void names(RoutingContext ctx, int appId) {
    Range r = range(ctx);
    Store store = r == null ? null : store(ctx);
    if (store == null) {
      return;
    }
    String app = appId == 0 ? null : state.app(appId).name();
    long res = store.resolutionFor(r.from, r.to, state.now(), MAX_POINTS);
    answer(ctx, () -> {
      Map<String, Stats> byName = new LinkedHashMap<>();
      Map<String, Long> cpu = new LinkedHashMap<>();
      for (Store.NameTotals n : store.names(app, r.from, r.to, res)) {
        byName.computeIfAbsent(n.name(), k -> new Stats()).addAll(n.stats());
        cpu.merge(n.name(), n.cpuMs(), Long::sum);
      }
      List<Map.Entry<String, Stats>> rows = new ArrayList<>(byName.entrySet());
      rows.sort((x, y) -> Long.compare(y.getValue().sum, x.getValue().sum));
      JsonArray arr = new JsonArray();
      for (Map.Entry<String, Stats> e : rows) {
        arr.add(HttpApi.nameJson(e.getKey(), e.getValue()).put("cpuMs", cpu.get(e.getKey())));
      }
      return rangeJson(r, res, "store").put("app", appId).put("names", arr);
    });
  }

  /** {@code /api/transactions?from&to}: the transactions the store kept in the range. */
  void transactions(RoutingContext ctx, int appId, String kind, int limit) {
    Range r = range(ctx);
    Store store = r == null ? null : store(ctx);
    if (store == null) {
      return;
    }
    Store.TxKind k = txKind(ctx, kind);
    if (k == null) {
      return;
    }
    String app = appId == 0 ? null : state.app(appId).name();
    String name = ctx.request().getParam("name");
    Map<Integer, String> names = state.appNames();
    answer(ctx, () -> txList(store.transactions(app, name == null || name.isEmpty() ? null : name, k, r.from, r.to,
        limit), names).put("kind", kind).put("from", r.from).put("to", r.to).put("source", "store"));
  }

  private static Store.TxKind txKind(RoutingContext ctx, String kind) {
    switch (kind) {
      case "recent":
        return Store.TxKind.RECENT;
      case "slow":
        return Store.TxKind.SLOW;
      case "slowest":
        return Store.TxKind.SLOWEST;
      case "failed":
        return Store.TxKind.FAILED;
      default:
        HttpApi.error(ctx, 400, "kind must be 'recent', 'slow' (slow or failed), 'slowest' or 'failed'");
        return null;
    }
  }

  private static JsonObject txList(List<TxRecord> list, Map<Integer, String> names) {
    JsonArray arr = new JsonArray();
    for (TxRecord t : list) {
      arr.add(HttpApi.txSummary(t, names));
    }
    return new JsonObject().put("transactions", arr);
  }

  /** A transaction no longer in memory: from the store, or 404 with {@code notKept}. */
  void storedTransaction(RoutingContext ctx, long txid, String notKept, Consumer<TxRecord> render) {
    Store store = state.store();
    if (store == null) {
      HttpApi.error(ctx, 404, notKept);
      return;
    }
    ctx.vertx().executeBlocking(() -> store.transaction(txid)).onComplete(ar -> {
      if (ar.failed()) {
        HttpApi.error(ctx, 500, "reading the store failed: " + ar.cause());
      } else if (ar.result() == null) {
        HttpApi.error(ctx, 404, notKept + "; nor is it in the store (it keeps failed, slow and a sample of the"
            + " others, up to agent_store_tx_per_interval per interval)");
      } else {
        render.accept(ar.result());
      }
    });
  }

  // ---------------------------------------------------------------- the store's own pages

  private void nameSeries(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String app = appName(ctx);
    Range r = app == null ? null : range(ctx);
    Store store = r == null ? null : store(ctx);
    if (store == null) {
      return;
    }
    long res = store.resolutionFor(r.from, r.to, state.now(), MAX_POINTS);
    answer(ctx, () -> {
      JsonArray arr = new JsonArray();
      for (Store.NamePoint p : store.nameSeries(app.isEmpty() ? null : app, name, r.from, r.to, res)) {
        Stats s = p.stats();
        arr.add(new JsonObject().put("t", p.t()).put("durationMs", res).put("count", s.count)
            .put("errors", s.errors).put("errorRate", s.errorRate()).put("tps", s.count * 1000.0 / res)
            .put("avg", s.average()).put("min", s.minOrZero()).put("max", s.max).put("p50", s.percentile(50))
            .put("p90", s.percentile(90)).put("p99", s.percentile(99)).put("cpuMs", p.cpuMs()));
      }
      return rangeJson(r, res, "store").put("name", name).put("appName", app).put("points", arr);
    });
  }

  private void nameTransactions(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    String app = appName(ctx);
    Range r = app == null ? null : range(ctx);
    Integer limit = r == null ? null : limit(ctx, 20, 1000);
    Store store = limit == null ? null : store(ctx);
    if (store == null) {
      return;
    }
    String kind = ctx.request().getParam("kind", "slowest");
    Store.TxKind k = txKind(ctx, kind);
    if (k == null) {
      return;
    }
    Map<Integer, String> names = state.appNames();
    answer(ctx, () -> txList(store.transactions(app.isEmpty() ? null : app, name, k, r.from, r.to, limit), names)
        .put("name", name).put("appName", app).put("kind", kind).put("from", r.from).put("to", r.to));
  }

  private void steps(RoutingContext ctx, boolean calls) {
    String app = appName(ctx);
    Range r = app == null ? null : range(ctx);
    Integer limit = r == null ? null : limit(ctx, 100, 10_000);
    Store store = limit == null ? null : store(ctx);
    if (store == null) {
      return;
    }
    String name = ctx.request().getParam("name");
    String byName = name == null || name.isEmpty() ? null : name;
    long res = store.resolutionFor(r.from, r.to, state.now(), MAX_POINTS);
    answer(ctx, () -> {
      JsonArray arr = new JsonArray();
      for (Store.StepTotals s : store.steps(calls, app.isEmpty() ? null : app, byName, r.from, r.to, res, limit)) {
        JsonObject o = new JsonObject().put("appName", s.app());
        if (byName != null) {
          o.put("name", s.name());
        }
        o.put(calls ? "url" : "sql", s.text()).put("count", s.count()).put("errors", s.errors())
            .put("totalMs", s.sumMs()).put("avgMs", s.count() == 0 ? 0.0 : (double) s.sumMs() / s.count())
            .put("maxMs", s.maxMs());
        if (!calls) {
          o.put("rows", s.rows()).put("avgRows", s.count() == 0 ? 0.0 : (double) s.rows() / s.count());
        }
        arr.add(o);
      }
      return rangeJson(r, res, "store").put("appName", app).put("name", byName).put(calls ? "calls" : "statements",
          arr);
    });
  }

  private void errors(RoutingContext ctx) {
    String app = appName(ctx);
    Range r = app == null ? null : range(ctx);
    Integer limit = r == null ? null : limit(ctx, 100, 10_000);
    Store store = limit == null ? null : store(ctx);
    if (store == null) {
      return;
    }
    long res = store.resolutionFor(r.from, r.to, state.now(), MAX_POINTS);
    answer(ctx, () -> {
      JsonArray arr = new JsonArray();
      for (Store.ErrorGroup g : store.errors(app.isEmpty() ? null : app, r.from, r.to, res, limit)) {
        JsonArray points = new JsonArray();
        for (long[] p : g.points()) {
          points.add(new JsonArray().add(p[0]).add(p[1]));
        }
        JsonArray examples = new JsonArray();
        for (long id : g.examples()) {
          examples.add(Long.toString(id));
        }
        arr.add(new JsonObject().put("appName", g.app()).put("class", g.errorClass()).put("pattern", g.pattern())
            .put("message", g.message()).put("count", g.count()).put("points", points).put("examples", examples));
      }
      return rangeJson(r, res, "store").put("appName", app).put("groups", arr);
    });
  }
}
