package io.whatap.agent.query;

import io.whatap.agent.intervals.Stats;
import java.util.Map;

/**
 * One application as /metrics exports it: its view, a copy of its statistics since the agent first
 * heard it, and copies of its per-name statistics since then (the first names, the rest summed).
 */
public record AppMetrics(AppView app, Stats total, Map<String, Stats> names) {
}
