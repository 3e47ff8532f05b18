package io.whatap.agent.query;

import io.whatap.agent.apps.JvmState;
import java.util.List;
import java.util.Map;

/** One process's JVM figures, copied under the state lock: the latest pools, collectors and counters, and the samples kept. */
public record JvmView(int id, int pid, String name, String host, String process, long lastHeard, long countersAt,
    Map<String, Object> counters, List<JvmState.Pool> pools, List<JvmState.Collector> collectors,
    List<JvmState.Sample> history) {
}
