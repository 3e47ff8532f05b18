package io.whatap.agent.backchannel;

import io.whatap.agent.apps.ActiveTx;
import io.whatap.agent.apps.AppRegistry;
import io.whatap.agent.apps.AppState;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.ActiveStackPack;
import io.whatap.wire.StartEndOffer;
import io.whatap.wire.TxParamPack;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's side of the back channel: requests to the applications ("paramId,requestId,extra",
 * golib/python ParamDef ids) and their answers. It asks a new process for its configuration (which
 * names it before its first counter pack), offers one-frame transactions ({@link StartEndOffer},
 * 7001) while it hears the process, polls for active transactions and asks for the stacks of the
 * long-running ones. Requests decided while a datagram is applied (state lock held) wait in an
 * outbox and leave once the lock is released; they go out through the receiver's socket.
 */
public final class BackChannelClient {
  /** Sends a back-channel request to an application's address. */
  public interface Transport {
    void send(String request, InetSocketAddress to);
  }

  /** A stack, the configuration, the active list. */
  private static final String ACTIVE_STACK = "0";
  private static final String CONFIGURE_GET = "4";
  private static final String ACTIVE_LIST = "25";
  private static final String THREAD_DUMP = "27";
  /** Characters kept of an active transaction's method (GET, POST...). */
  private static final int METHOD_CHARS_MAX = 32;

  public final LongAdder requests = new LongAdder();
  public final LongAdder sendErrors = new LongAdder();
  /** Active-list entries beyond agent_active_list_max or a quarter of agent_app_memory_kb, not kept. */
  public final LongAdder activeEntriesDropped = new LongAdder();

  private final AgentSettings settings;
  private final AppRegistry registry;
  private volatile Transport transport = (request, to) -> { };
  private final AtomicLong requestIds = new AtomicLong();
  /** Guarded by the state lock. */
  private final List<Request> outbox = new ArrayList<>();

  /** One queued request: its text ("paramId,requestId,extra") and the application's address. */
  public record Request(String text, InetSocketAddress to) {
  }

  public BackChannelClient(AgentSettings settings, AppRegistry registry) {
    this.settings = settings;
    this.registry = registry;
  }

  public void transport(Transport t) {
    this.transport = t;
  }

  private void queue(String paramIdAndExtra, InetSocketAddress to) {
    int comma = paramIdAndExtra.indexOf(',');
    outbox.add(new Request(paramIdAndExtra.substring(0, comma) + "," + requestIds.incrementAndGet()
        + paramIdAndExtra.substring(comma), to));
  }

  /** The requests queued while the lock was held, or null; sent by {@link #send(List)} after releasing it. */
  public List<Request> takeQueued() {
    if (outbox.isEmpty()) {
      return null;
    }
    List<Request> out = new ArrayList<>(outbox);
    outbox.clear();
    return out;
  }

  /** Sends what {@link #takeQueued()} returned (without the lock). */
  public void send(List<Request> queued) {
    for (Request q : queued) {
      send(q.text(), q.to());
    }
  }

  private void send(String request, InetSocketAddress to) {
    requests.increment();
    transport.send(request, to);
  }

  /** A process the agent had not heard of: its configuration names it now rather than seconds later. */
  public void askConfiguration(InetSocketAddress to) {
    if (to != null) {
      queue(CONFIGURE_GET + ",", to);
    }
  }

  /** Asks an application for a dump of all its threads ("27"); the answer lands in {@link AppState#threadDump}. */
  public boolean askThreadDump(AppState a) {
    if (a.source == null) {
      return false;
    }
    queue(THREAD_DUMP + ",", a.source);
    return true;
  }

  /** Offers one-frame transactions to a process sending transactions, every {@link StartEndOffer#REPEAT_MS}. */
  public void offerStartEnd(AppState a, InetSocketAddress from, long now) {
    if (from != null && settings.offerStartEnd && now - a.startEndOfferedAt >= StartEndOffer.REPEAT_MS) {
      a.startEndOfferedAt = now;
      queue(StartEndOffer.PARAM_ID + "," + StartEndOffer.EXTRA, from);
    }
  }

  /** An answer in a TX_PARAM: the configuration ("4") or the active list ("25"). */
  public void param(TxParamPack x, InetSocketAddress from, long now) {
    AppState a = registry.bySource(from, now);
    if (a == null) {
      return;
    }
    if (CONFIGURE_GET.equals(x.paramId())) {
      configuration(a, x.data());
    } else if (ACTIVE_LIST.equals(x.paramId())) {
      activeList(a, x.data(), now);
    } else if (THREAD_DUMP.equals(x.paramId())) {
      a.threadDump = x.data();
      a.threadDumpAt = now;
    }
  }

  /** The answer to "4": the application's options as key=value lines (the license left out by the app). */
  private void configuration(AppState a, String data) {
    for (String line : data.split("\n", 1000)) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).trim();
      String value = line.substring(eq + 1).trim();
      if (key.equals("app_name") && !value.isEmpty() && a.provisional) {
        a.rename(settings.cut(value));
      } else if (key.equals("app_process_name") && !value.isEmpty() && a.process.isEmpty()) {
        a.process = settings.cut(value);
      }
    }
  }

  private void activeList(AppState a, String data, long now) {
    List<ActiveTx> list = new ArrayList<>();
    long bytes = 0;
    long budget = settings.appMemoryBytes / 4;
    int max = settings.activeListMax;
    for (String line : data.split("\n", max + 1)) {
      ActiveTx t = parseActive(line, now);
      if (t == null) {
        continue;
      }
      long b = 96 + 2L * (t.method().length() + t.name().length());
      if (list.size() >= max || bytes + b > budget) {
        activeEntriesDropped.increment();
        break;
      }
      bytes += b;
      list.add(t);
      if (t.runningMs() >= settings.stackAfterMs && !a.stacks.containsKey(t.txid())
          && a.stackRequested.put(t.txid(), Boolean.TRUE) == null) {
        queue(ACTIVE_STACK + "," + t.txid(), a.source);
      }
    }
    list.sort((p, q) -> Long.compare(q.runningMs(), p.runningMs()));
    a.actives = List.copyOf(list);
  }

  /** "txid runningMs threadId METHOD name" (the name may hold spaces), or null when malformed. */
  private ActiveTx parseActive(String line, long now) {
    String[] f = line.trim().split(" ", 5);
    if (f.length < 5) {
      return null;
    }
    try {
      String method = f[3].length() > METHOD_CHARS_MAX ? f[3].substring(0, METHOD_CHARS_MAX) : f[3];
      return new ActiveTx(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), method,
          settings.cutName(f[4]), now);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The answer to "0": "threadId, txid, stack" (the reader's layout of golib). */
  public void activeStack(ActiveStackPack x, InetSocketAddress from, long now) {
    AppState a = registry.bySource(from, now);
    if (a == null) {
      return;
    }
    String[] f = x.data().split(", ", 3);
    if (f.length < 3) {
      return;
    }
    try {
      long txid = Long.parseLong(f[1].trim());
      if (txid != 0) {
        a.stacks.put(txid, settings.cut(f[2]));
      }
    } catch (NumberFormatException e) {
      // not a stack answer we asked for: nothing to attach it to
    }
  }

  /** The addresses of the applications heard from recently (state lock held). */
  public List<InetSocketAddress> activeListTargets(long now) {
    List<InetSocketAddress> targets = new ArrayList<>();
    long recently = now - settings.liveWindowMs();
    for (AppState a : registry.all()) {
      if (a.source != null && a.lastHeard >= recently) {
        targets.add(a.source);
      }
    }
    return targets;
  }

  /** Asks each target for its active transactions ("25,id,"), without the lock. */
  public void askActiveLists(List<InetSocketAddress> targets) {
    for (InetSocketAddress to : targets) {
      send(ACTIVE_LIST + "," + requestIds.incrementAndGet() + ",", to);
    }
  }
}
