package io.whatap.agent.http;

import io.whatap.agent.query.AppView;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who each application process is on /metrics: {@code app}, {@code host} and an
 * {@code instance_id} made of the application's name, host and process name
 * ({@code app_process_name}), never its pid, so that a restarted process continues the series of
 * the one it replaces. Two processes of the same name on the same host at once are told apart by a
 * slot number ({@code shop@web-1/java}, {@code shop@web-1/java#2}).
 *
 * <p>A process not heard from for agent_metrics_stale_sec leaves /metrics. A new process whose
 * slot-mate fell silent before it appeared is taken for that one's restart once the old one has
 * been silent for the live window (three intervals, at least 15 s: longer than the applications'
 * counter interval), and inherits its slot; until then it waits, unexported. Anything that is
 * heard after the newcomer appeared is a second instance and gets a slot of its own.
 *
 * <p>A process appears once it has sent a counter pack (its host and process name are known then),
 * or after the live window when it sends none (another agent family): the identity does not
 * change under a series. State kept across scrapes: one slot per exported process.
 */
final class InstanceIdentities {
  /** The labels of one exported process. */
  record Identity(String app, String host, String instanceId) {
    String[] labels() {
      return new String[] {"app", app, "host", host, "instance_id", instanceId};
    }
  }

  private record Holder(String key, int slot) {
  }

  private final long staleMs;
  private final long liveWindowMs;
  private final String localHost;
  /** Exported processes by application id. */
  private final Map<Integer, Holder> holders = new HashMap<>();
  /**
   * Processes whose slot a restart took, by application id, with when they were last heard then:
   * not exported again unless heard after that (then they were alive after all).
   */
  private final Map<Integer, Long> replaced = new HashMap<>();

  InstanceIdentities(long staleMs, long liveWindowMs, String localHost) {
    this.staleMs = staleMs;
    this.liveWindowMs = liveWindowMs;
    this.localHost = localHost;
  }

  /** The host name this machine gives itself (what the applications on it report), or "localhost". */
  static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      return "localhost";
    }
  }

  /** The identity of every application to export now, by application id. */
  synchronized Map<Integer, Identity> assign(List<AppView> apps, long now) {
    Map<String, List<AppView>> groups = new LinkedHashMap<>();
    for (AppView a : apps) {
      boolean settled = a.countersAt() > 0 || now - a.firstSeen() > liveWindowMs;
      if (settled && now - a.lastHeard() <= staleMs) {
        groups.computeIfAbsent(key(a), k -> new ArrayList<>()).add(a);
      }
    }
    Map<Integer, AppView> byId = new HashMap<>();
    for (List<AppView> g : groups.values()) {
      for (AppView a : g) {
        byId.put(a.id(), a);
      }
    }
    replaced.entrySet().removeIf(e -> {
      AppView a = byId.get(e.getKey());
      return a == null || a.lastHeard() > e.getValue();
    });
    // stale, forgotten, or now under another name, host or process name: its slot is free
    for (Iterator<Map.Entry<Integer, Holder>> it = holders.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Holder> e = it.next();
      AppView a = byId.get(e.getKey());
      if (a == null || !key(a).equals(e.getValue().key())) {
        it.remove();
      }
    }
    Map<Integer, Identity> out = new HashMap<>();
    for (Map.Entry<String, List<AppView>> g : groups.entrySet()) {
      List<AppView> members = g.getValue();
      members.sort(Comparator.comparingLong(AppView::firstSeen).thenComparingInt(AppView::id));
      for (AppView n : members) {
        if (!holders.containsKey(n.id()) && !replaced.containsKey(n.id())) {
          place(g.getKey(), n, members, now);
        }
      }
      for (AppView a : members) {
        Holder h = holders.get(a.id());
        if (h != null) {
          out.put(a.id(), identity(a, h.slot()));
        }
      }
    }
    return out;
  }

  /** Gives {@code n} the slot of the process it restarts, a free one, or none yet (see the class). */
  private void place(String key, AppView n, List<AppView> members, long now) {
    AppView previous = null;
    for (AppView h : members) {
      Holder held = holders.get(h.id());
      if (held != null && h.lastHeard() < n.firstSeen()
          && (previous == null || h.lastHeard() < previous.lastHeard())) {
        previous = h;
      }
    }
    if (previous != null) {
      if (now - previous.lastHeard() <= liveWindowMs) {
        return; // a restart or a second instance: known when the old one speaks again or stays silent
      }
      holders.put(n.id(), new Holder(key, holders.remove(previous.id()).slot()));
      replaced.put(previous.id(), previous.lastHeard());
      return;
    }
    int slot = 0;
    while (taken(key, slot)) {
      slot++;
    }
    holders.put(n.id(), new Holder(key, slot));
  }

  private boolean taken(String key, int slot) {
    for (Holder h : holders.values()) {
      if (h.slot() == slot && h.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  private String hostOf(AppView a) {
    return a.host().isEmpty() ? localHost : a.host();
  }

  private String key(AppView a) {
    return a.name() + '\u0000' + hostOf(a) + '\u0000' + a.process();
  }

  private Identity identity(AppView a, int slot) {
    String host = hostOf(a);
    StringBuilder id = new StringBuilder(a.name()).append('@').append(host);
    if (!a.process().isEmpty()) {
      id.append('/').append(a.process());
    }
    if (slot > 0) {
      id.append('#').append(slot + 1);
    }
    return new Identity(a.name(), host, id.toString());
  }
}
