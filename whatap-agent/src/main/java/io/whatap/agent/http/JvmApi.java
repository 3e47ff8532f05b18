package io.whatap.agent.http;

import io.vertx.core.Context;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.whatap.agent.apps.JvmState;
import io.whatap.agent.backchannel.ThreadDumps;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.query.JvmView;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The JVM page's data: {@code GET /api/jvm?app=<name>} (the latest figures of each process of the
 * application and the samples kept) and {@code POST /api/threaddump?app=<name>&pid=<pid>} (GET too),
 * which asks the process for a thread dump through the back channel and answers when it came, or
 * 504 after {@code agent_thread_dump_timeout_ms}, without holding an event loop. The HTTP guard
 * (Host, Origin, token) runs before both, as for every route.
 */
final class JvmApi {
  private static final String JSON = "application/json; charset=utf-8";

  private final AgentQuery state;

  JvmApi(AgentQuery state) {
    this.state = state;
  }

  void jvm(RoutingContext ctx) {
    String app = ctx.request().getParam("app");
    if (app == null || app.isEmpty()) {
      HttpApi.error(ctx, 400, "app is required: the application's name (see /api/apps)");
      return;
    }
    List<JvmView> views = state.jvm(app);
    if (views.isEmpty()) {
      HttpApi.error(ctx, 404, "no application named " + app + " (see /api/apps)");
      return;
    }
    long now = state.now();
    JsonArray processes = new JsonArray();
    for (JvmView v : views) {
      processes.add(process(v, now));
    }
    json(ctx, new JsonObject().put("app", app).put("now", now).put("historyMax", JvmState.HISTORY_MAX)
        .put("processes", processes).put("threadDumps", meters(state.threadDumps)));
  }

  private JsonObject process(JvmView v, long now) {
    Map<String, Object> c = v.counters();
    JsonObject o = new JsonObject().put("id", v.id()).put("pid", v.pid()).put("name", v.name()).put("host", v.host())
        .put("process", v.process()).put("lastHeard", v.lastHeard())
        .put("live", v.lastHeard() >= now - state.settings().liveWindowMs()).put("at", v.countersAt())
        .put("cpu", new JsonObject().put("pct", c.get("cpu_pct")).put("cores", c.get("cpu_cores"))
            .put("timeMs", c.get("process_cpu_time_ms")))
        .put("heap", new JsonObject().put("used", c.get("heap_used")).put("committed", c.get("heap_committed"))
            .put("max", c.get("heap_max")))
        .put("nonHeap", new JsonObject().put("used", c.get("nonheap_used")).put("committed", c.get("nonheap_committed")))
        .put("threads", new JsonObject().put("live", c.get("threads")).put("daemon", c.get("threads_daemon"))
            .put("peak", c.get("threads_peak")).put("startedTotal", c.get("threads_started_total")))
        .put("classes", new JsonObject().put("loaded", c.get("classes_loaded"))
            .put("unloadedTotal", c.get("classes_unloaded_total")));
    JsonArray pools = new JsonArray();
    for (JvmState.Pool p : v.pools()) {
      pools.add(new JsonObject().put("name", p.name()).put("heap", p.heap()).put("used", p.used())
          .put("committed", p.committed()).put("max", p.max()));
    }
    JsonArray gcs = new JsonArray();
    for (JvmState.Collector g : v.collectors()) {
      gcs.add(new JsonObject().put("name", g.name()).put("count", g.count()).put("timeMs", g.timeMs())
          .put("countDelta", g.countDelta()).put("timeMsDelta", g.timeMsDelta()));
    }
    JsonArray history = new JsonArray();
    for (JvmState.Sample s : v.history()) {
      JsonObject poolsUsed = new JsonObject();
      for (int i = 0; i < s.poolNames().length; i++) {
        poolsUsed.put(s.poolNames()[i], s.poolUsed()[i]);
      }
      JsonObject gc = new JsonObject();
      for (int i = 0; i < s.gcNames().length; i++) {
        gc.put(s.gcNames()[i], new JsonArray().add(s.gcCountDelta()[i]).add(s.gcTimeMsDelta()[i]));
      }
      history.add(new JsonObject().put("t", s.at()).put("cpuPct", s.cpuPct()).put("heapUsed", s.heapUsed())
          .put("heapCommitted", s.heapCommitted()).put("heapMax", s.heapMax()).put("nonHeapUsed", s.nonHeapUsed())
          .put("threads", s.threads()).put("daemonThreads", s.daemonThreads()).put("classesLoaded", s.classesLoaded())
          .put("gcCount", s.gcCount()).put("gcTimeMs", s.gcTimeMs()).put("pools", poolsUsed).put("gc", gc));
    }
    return o.put("pools", pools).put("gc", gcs).put("history", history);
  }

  private static JsonObject meters(ThreadDumps d) {
    return new JsonObject().put("requested", d.requested.sum()).put("answered", d.answered.sum())
        .put("incomplete", d.incomplete.sum()).put("timedOut", d.timedOut.sum()).put("refused", d.refused.sum())
        .put("partsIgnored", d.partsIgnored.sum()).put("pending", d.pendingCount());
  }

  void threadDump(RoutingContext ctx) {
    String app = ctx.request().getParam("app");
    String pidText = ctx.request().getParam("pid");
    if (app == null || app.isEmpty() || pidText == null) {
      HttpApi.error(ctx, 400, "app and pid are required: /api/threaddump?app=<name>&pid=<pid> (see /api/jvm)");
      return;
    }
    int pid;
    try {
      pid = Integer.parseInt(pidText.trim());
    } catch (NumberFormatException e) {
      HttpApi.error(ctx, 400, "pid must be a process id, not '" + cut(pidText) + "'");
      return;
    }
    StringBuilder bounds = new StringBuilder();
    for (String name : new String[] {"threads", "frames", "bytes"}) {
      String v = ctx.request().getParam(name);
      if (v == null) {
        continue;
      }
      try {
        bounds.append(bounds.length() == 0 ? "" : " ").append(name).append('=').append(Integer.parseInt(v.trim()));
      } catch (NumberFormatException e) {
        HttpApi.error(ctx, 400, name + " must be a number, not '" + cut(v) + "'");
        return;
      }
    }
    InetSocketAddress to = state.source(app, pid);
    if (to == null) {
      HttpApi.error(ctx, 404, "no process " + pid + " of an application named " + app + " has been heard from");
      return;
    }
    long takenAt = System.currentTimeMillis();
    ThreadDumps.Ask ask = state.threadDumps.ask(pid, to, bounds.toString(), state.now(),
        state.settings().threadDumpTimeoutMs);
    if (ask.answer() == null) {
      ctx.response().putHeader("retry-after", String.valueOf(Math.max(1, (ask.retryAfterMs() + 999) / 1000)));
      HttpApi.error(ctx, 429, ask.refusal());
      return;
    }
    Context loop = ctx.vertx().getOrCreateContext();
    ask.answer().whenComplete((dump, failure) -> loop.runOnContext(v -> {
      if (ctx.response().ended() || ctx.response().closed()) {
        return;
      }
      if (dump == null) {
        HttpApi.error(ctx, 504, "process " + pid + " did not answer the thread-dump request within "
            + state.settings().threadDumpTimeoutMs + " ms (agent_thread_dump_timeout_ms)");
        return;
      }
      json(ctx, new JsonObject().put("app", app).put("pid", pid).put("takenAt", takenAt)
          .put("complete", dump.complete()).put("parts", dump.parts()).put("partsReceived", dump.partsReceived())
          .put("dump", dump.text()));
    }));
  }

  /** A bad parameter's value as echoed in the error: at most 64 characters. */
  private static String cut(String v) {
    return v.length() > 64 ? v.substring(0, 64) + "..." : v;
  }

  private static void json(RoutingContext ctx, JsonObject body) {
    ctx.response().putHeader("content-type", JSON).putHeader("cache-control", "no-store").end(body.encode());
  }
}
