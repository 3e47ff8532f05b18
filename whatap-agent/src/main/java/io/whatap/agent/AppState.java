package io.whatap.agent;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One application process as the agent knows it, keyed by (pid, app name): where its datagrams
 * come from (the back channel's address), its latest counters, its active transactions and its
 * aggregation. The name is provisional (agent's app_name) until the first counter pack names it.
 * Guarded by {@link AgentState}'s lock.
 */
final class AppState {
  private static final int STACKS_MAX = 256;

  final int id;
  final int pid;
  String name;
  boolean provisional;
  String host = "";
  String process = "";
  InetSocketAddress source;
  final long firstSeen;
  long lastHeard;
  /** When the last {@link io.whatap.wire.StartEndOffer} went to this application (agent clock). */
  long startEndOfferedAt = Long.MIN_VALUE / 2;
  final Aggregate aggregate;

  Map<String, Object> counters = Map.of();
  long countersAt;
  long gcCountInterval;
  long gcTimeInterval;
  long gcCountTotal;
  long gcTimeTotal;
  int[] bands = new int[0];
  long bandsAt;
  List<ActiveTx> actives = List.of();
  String dbPool;
  /** Stacks fetched for running transactions, by txid; attached to the transaction when it ends. */
  final Map<Long, String> stacks = bounded(STACKS_MAX);
  /** txids whose stack was asked for, so that each is asked once. */
  final Map<Long, Boolean> stackRequested = bounded(STACKS_MAX);

  AppState(int id, int pid, String name, boolean provisional, long now, Aggregate aggregate) {
    this.id = id;
    this.pid = pid;
    this.name = name;
    this.provisional = provisional;
    this.firstSeen = now;
    this.lastHeard = now;
    this.aggregate = aggregate;
  }

  /** The last counter field as a number, or {@code def} when absent or not numeric. */
  double counter(String field, double def) {
    Object v = counters.get(field);
    return v instanceof Number ? ((Number) v).doubleValue() : def;
  }

  /** Drops an ended transaction from the last active list, which is up to one poll old. */
  void forgetActive(long txid) {
    for (int i = 0; i < actives.size(); i++) {
      if (actives.get(i).txid() == txid) {
        List<ActiveTx> rest = new ArrayList<>(actives);
        rest.remove(i);
        actives = List.copyOf(rest);
        return;
      }
    }
  }

  int activeTotal() {
    int n = 0;
    for (int b : bands) {
      n += b;
    }
    return n;
  }

  private static <K, V> Map<K, V> bounded(int max) {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
