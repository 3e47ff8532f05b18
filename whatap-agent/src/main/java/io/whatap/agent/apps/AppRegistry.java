package io.whatap.agent.apps;

import io.whatap.agent.intervals.Intervals;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.ActiveStatsPack;
import io.whatap.wire.DbConnPoolPack;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TagCountPack;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The applications the agent has heard from: by id (the API's handle), by pid (transactions name
 * their process) and by source address (packs without a pid: active stats, back-channel answers).
 * At most agent_apps_max; the one heard from least recently goes first. Also reads what an
 * application reports about itself: its counter packs (RELAY_PACK, category app_counter), its
 * active-transaction bands and its connection pool. Guarded by the state lock.
 */
public final class AppRegistry {
  public static final String COUNTER_CATEGORY = "app_counter";

  public final LongAdder unattributed = new LongAdder();
  public final LongAdder relayOther = new LongAdder();
  public final LongAdder appsEvicted = new LongAdder();
  /** ACTIVE_STATS bands beyond agent_bands_max, not kept. */
  public final LongAdder bandsDropped = new LongAdder();
  /** Counter fields beyond agent_counter_fields_max or the application's share of agent_app_memory_kb. */
  public final LongAdder counterFieldsDropped = new LongAdder();

  private final AgentSettings settings;
  private final Intervals intervals;
  private final LinkedHashMap<Integer, AppState> apps = new LinkedHashMap<>();
  private final HashMap<Integer, AppState> byPid = new HashMap<>();
  /** Changes whenever {@link #byPid} does: the last application found stays valid until then. */
  private int byPidVersion;
  private AppState lastApp;
  private int lastAppVersion = -1;
  private final HashMap<InetSocketAddress, AppState> bySource = new HashMap<>();
  private int nextAppId = 1;

  public AppRegistry(AgentSettings settings, Intervals intervals) {
    this.settings = settings;
    this.intervals = intervals;
  }

  /** Every known application, oldest first (the live collection: iterate with the lock held). */
  public Collection<AppState> all() {
    return apps.values();
  }

  public AppState byId(int id) {
    return apps.get(id);
  }

  /** The application of this pid, or null when none is known. */
  public AppState byPid(int pid) {
    AppState a = lastApp;
    if (a == null || a.pid != pid || lastAppVersion != byPidVersion) {
      a = byPid.get(pid);
      lastApp = a;
      lastAppVersion = byPidVersion;
    }
    return a;
  }

  /** Registers an application, evicting the least recently heard one when agent_apps_max is reached. */
  public AppState register(int pid, String name, boolean provisional, long now) {
    while (apps.size() >= settings.appsMax) {
      evictLeastRecentlyHeard();
    }
    AppState a = new AppState(nextAppId++, pid, name, provisional, now, intervals.newAggregate(),
        settings.appMemoryBytes / 2);
    apps.put(a.id, a);
    byPid.put(pid, a);
    byPidVersion++;
    return a;
  }

  private void evictLeastRecentlyHeard() {
    AppState oldest = null;
    for (AppState a : apps.values()) {
      if (oldest == null || a.lastHeard < oldest.lastHeard) {
        oldest = a;
      }
    }
    apps.remove(oldest.id);
    oldest.aggregate.release();
    byPid.remove(oldest.pid, oldest);
    byPidVersion++;
    if (oldest.source != null) {
      bySource.remove(oldest.source, oldest);
    }
    appsEvicted.increment();
  }

  /** Notes that {@code a} was heard from {@code from} (its back-channel address from now on). */
  public void heard(AppState a, InetSocketAddress from, long now) {
    a.lastHeard = now;
    if (from != null && from != a.source && !from.equals(a.source)) {
      if (a.source != null) {
        bySource.remove(a.source, a);
      }
      a.source = from;
      bySource.put(from, a);
    }
  }

  /** The application last heard at {@code from}, or null (counted: such a pack is dropped). */
  public AppState bySource(InetSocketAddress from, long now) {
    AppState a = from == null ? null : bySource.get(from);
    if (a == null) {
      unattributed.increment();
      return null;
    }
    a.lastHeard = now;
    return a;
  }

  /**
   * The five active-transaction bands an application sends after its counters; a pack with more
   * (the count is the sender's to choose) is cut to agent_bands_max, which also bounds what every
   * interval summary and /metrics carry per application.
   */
  public void activeStats(ActiveStatsPack x, InetSocketAddress from, long now) {
    AppState a = bySource(from, now);
    if (a != null) {
      int[] bands = x.bands();
      if (bands.length > settings.bandsMax) {
        bandsDropped.add(bands.length - settings.bandsMax);
      }
      a.bands = Arrays.copyOf(bands, Math.min(bands.length, settings.bandsMax));
      a.bandsAt = now;
      if (a.activeTotal() == 0) {
        a.actives = List.of();
      }
    }
  }

  public void dbPool(DbConnPoolPack x, InetSocketAddress from, long now) {
    AppState a = bySource(from, now);
    if (a != null) {
      a.dbPool = settings.cut(x.data());
    }
  }

  /**
   * A counter pack: names the application (a provisional name gives way; another name for a known
   * pid is a process reconfigured to another app_name, a new application from here on) and keeps
   * its counters and garbage-collection deltas.
   */
  public void relay(RelayPack x, InetSocketAddress from, long now) {
    TagCountPack t = x.tagCount();
    if (t == null || !COUNTER_CATEGORY.equals(t.category())) {
      relayOther.increment();
      return;
    }
    Map<String, Object> tags = t.tags();
    String name = text(tags.get("app"));
    int pid = parsePid(tags.get("pid"));
    AppState a;
    if (pid == 0) {
      a = bySource(from, now);
      if (a == null) {
        return;
      }
    } else {
      a = byPid.get(pid);
      if (a == null) {
        a = register(pid, name.isEmpty() ? settings.defaultAppName : name, name.isEmpty(), now);
      } else if (!name.isEmpty() && !name.equals(a.name)) {
        if (a.provisional) {
          a.rename(name);
        } else {
          a = register(pid, name, false, now);
        }
      }
    }
    heard(a, from, now);
    String host = text(tags.get("host"));
    if (!host.isEmpty()) {
      a.host = settings.cut(host);
    }
    String process = text(tags.get("process"));
    if (!process.isEmpty()) {
      a.process = settings.cut(process);
    }
    a.counters = keptCounters(t.fields());
    a.countersAt = now;
    a.jvm.record(t.fields(), now);
    long gcCount = (long) Math.max(0, number(t.fields().get("gc_count")));
    long gcTime = (long) Math.max(0, number(t.fields().get("gc_time_ms")));
    a.gcCountInterval += gcCount;
    a.gcTimeInterval += gcTime;
    a.gcCountTotal += gcCount;
    a.gcTimeTotal += gcTime;
  }

  /**
   * The counter fields worth keeping: numbers and texts (cut to agent_name_max_chars), at most
   * agent_counter_fields_max of them and a quarter of agent_app_memory_kb.
   */
  private Map<String, Object> keptCounters(Map<String, Object> fields) {
    Map<String, Object> kept = new LinkedHashMap<>();
    long bytes = 0;
    long budget = settings.appMemoryBytes / 4;
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      Object v = e.getValue();
      if (v instanceof String sv) {
        v = settings.cutName(sv);
      } else if (!(v instanceof Number)) {
        continue;
      }
      String key = settings.cutName(e.getKey());
      long b = 96 + 2L * key.length() + (v instanceof String sv ? 2L * sv.length() : 0);
      if (kept.size() >= settings.counterFieldsMax || bytes + b > budget) {
        counterFieldsDropped.increment();
        continue;
      }
      bytes += b;
      kept.put(key, v);
    }
    return kept;
  }

  private static String text(Object o) {
    return o == null ? "" : o.toString();
  }

  private static double number(Object o) {
    return o instanceof Number ? ((Number) o).doubleValue() : 0;
  }

  private static int parsePid(Object o) {
    if (o instanceof Number) {
      return ((Number) o).intValue();
    }
    try {
      return o == null ? 0 : Integer.parseInt(o.toString().trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
