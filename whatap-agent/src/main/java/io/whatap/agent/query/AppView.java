package io.whatap.agent.query;

import io.whatap.agent.apps.ActiveTx;
import io.whatap.agent.intervals.IntervalSummary;
import java.util.List;
import java.util.Map;

/**
 * A consistent copy of one application's state, taken under the state lock; {@code bandBoundsMs} is
 * the application's own {@code active_bands_ms}, or null when its configuration did not give it.
 */
public record AppView(int id, int pid, String name, boolean provisional, String host, String process,
    String source, long firstSeen, long lastHeard, Map<String, Object> counters, long countersAt, int[] bands,
    List<ActiveTx> actives, Map<Long, String> stacks, String dbPool, long count, long errors, long elapsedSum,
    long gcCountTotal, long gcTimeTotal, IntervalSummary last, int[] bandBoundsMs) {
}
