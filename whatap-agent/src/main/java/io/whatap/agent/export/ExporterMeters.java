package io.whatap.agent.export;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one exporter did, for {@code GET /api/export} and {@code whatap_agent_export_*} in
 * /metrics. Transactions are counted, not spans, where the question is "what was lost".
 */
public final class ExporterMeters {
  /** "otlp" or "zipkin". */
  public final String name;
  /** Where it sends (no credentials: headers are never part of it). */
  public final String endpoint;
  /** Transactions queued for sending. */
  public final LongAdder queued = new LongAdder();
  /** Transactions dropped because the queue was full (export_queue_max). */
  public final LongAdder droppedQueueFull;
  /** Transactions given up after a failed request: refused for good (4xx), or the queue filled while retrying. */
  public final LongAdder droppedFailed = new LongAdder();
  /** Transactions and spans a collector accepted. */
  public final LongAdder sentTransactions = new LongAdder();
  public final LongAdder sentSpans = new LongAdder();
  /** Requests sent (every attempt) and those that failed (no answer, 429, 5xx, other refusals). */
  public final LongAdder requests = new LongAdder();
  public final LongAdder requestsFailed = new LongAdder();
  /** Metric exports (OTLP only) accepted and failed. */
  public final LongAdder metricsSent = new LongAdder();
  public final LongAdder metricsFailed = new LongAdder();
  private final ExportQueue<?> queue;
  private volatile String lastError = "";

  ExporterMeters(String name, String endpoint, ExportQueue<?> queue) {
    this.name = name;
    this.endpoint = endpoint;
    this.queue = queue;
    this.droppedQueueFull = queue.dropped;
  }

  /** Transactions waiting in the queue now. */
  public int queueSize() {
    return queue.size();
  }

  public int queueMax() {
    return queue.max();
  }

  /** Why the last request failed, or "". */
  public String lastError() {
    return lastError;
  }

  void lastError(String why) {
    lastError = why;
  }
}
