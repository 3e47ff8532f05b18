package io.whatap.agent.export;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.export.spans.BatchEncoder;
import io.whatap.agent.settings.ExportSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPOutputStream;

/**
 * One export endpoint: a bounded queue the receiver thread offers completed transactions to
 * (never waiting), and a daemon thread that takes them in batches of export_batch_max, encodes
 * and POSTs them. A failed request (no connection, no answer within export_timeout_ms, 429 or
 * 5xx) is retried with exponential back-off (200 ms doubling to 30 s); the batch is kept for the
 * retry until the queue behind it is full, and only then given up, so nothing is lost within the
 * queue's bound and a collector that never answers costs the receiver nothing but the drops it
 * counts. Any other refusal (400, 401, 413...) gives the batch up at once. A failure is logged
 * once at WARNING, later ones at FINE; the headers' values never are.
 */
public final class SpanExporter implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(SpanExporter.class.getName());
  static final long FIRST_BACKOFF_MS = 200;
  static final long MAX_BACKOFF_MS = 30_000;
  /** How long a partial batch waits for more before it is sent. */
  static final long LINGER_MS = 500;

  private final ExporterMeters meters;
  private final ExportQueue<TxRecord> queue;
  private final URI uri;
  private final String contentType;
  private final Map<String, String> headers;
  private final boolean gzip;
  private final int batchMax;
  private final Duration timeout;
  private final BatchEncoder encoder;
  private final HttpClient client;
  private final Thread thread;
  /** A second kind of request sent every {@code periodMs} on the same thread (OTLP metrics), or null. */
  private final URI periodicUri;
  private final Supplier<byte[]> periodicBody;
  private final long periodMs;
  private volatile boolean closed;
  /** Set while the thread waits for a full batch: only then does an offer wake it. */
  private volatile boolean waiting;
  private boolean warned;

  /**
   * @param periodicUri  where {@code periodicBody} goes every {@code periodMs}, or null for nothing
   * @param periodicBody the body of that request, or null when there is nothing to send this time
   */
  SpanExporter(String name, URI uri, String contentType, Map<String, String> headers, boolean gzip,
      ExportSettings s, BatchEncoder encoder, URI periodicUri, Supplier<byte[]> periodicBody, long periodMs) {
    this.queue = new ExportQueue<>(s.queueMax);
    this.meters = new ExporterMeters(name, uri.toString(), queue);
    this.uri = uri;
    this.contentType = contentType;
    this.headers = usableHeaders(uri, headers);
    this.gzip = gzip;
    this.batchMax = s.batchMax;
    this.timeout = Duration.ofMillis(s.timeoutMs);
    this.encoder = encoder;
    this.periodicUri = periodicUri;
    this.periodicBody = periodicBody;
    this.periodMs = periodMs;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    this.thread = new Thread(this::run, "whatap-agent-export-" + name);
    this.thread.setDaemon(true);
  }

  /** Headers the JDK's client accepts; a restricted one (host, content-length...) is reported once and left out. */
  private static Map<String, String> usableHeaders(URI uri, Map<String, String> wanted) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : wanted.entrySet()) {
      try {
        HttpRequest.newBuilder(uri).header(h.getKey(), h.getValue());
        out.put(h.getKey(), h.getValue());
      } catch (IllegalArgumentException e) {
        LOG.warning("export_otlp_headers: header " + h.getKey() + " cannot be set by the agent; it is not sent");
      }
    }
    return Map.copyOf(out);
  }

  void start() {
    thread.start();
  }

  public ExporterMeters meters() {
    return meters;
  }

  /** Queues {@code tx} (receiver thread): never waits; a full queue drops and counts it. */
  void offer(TxRecord tx) {
    if (queue.offer(tx)) {
      meters.queued.increment();
      if (waiting) {
        int n = queue.size();
        if (n == 1 || n >= batchMax) { // the first one starts the linger, a full batch ends it
          waiting = false;
          LockSupport.unpark(thread);
        }
      }
    }
  }

  private void run() {
    List<TxRecord> batch = new ArrayList<>(Math.min(batchMax, 4096));
    BatchEncoder.Encoded encoded = null;
    long backoffMs = FIRST_BACKOFF_MS;
    long nextPeriodic = System.currentTimeMillis() + periodMs;
    while (!closed) {
      try {
        if (periodicUri != null && System.currentTimeMillis() >= nextPeriodic) {
          nextPeriodic = System.currentTimeMillis() + periodMs;
          sendPeriodic();
        }
        if (batch.isEmpty()) {
          awaitBatch(periodicUri == null ? Long.MAX_VALUE : nextPeriodic);
          queue.drainTo(batch, batchMax);
          encoded = null;
          if (batch.isEmpty()) {
            continue;
          }
        }
        if (encoded == null) {
          encoded = encoder.encode(batch);
        }
        int status = post(uri, encoded.body());
        if (status >= 200 && status < 300) {
          meters.sentTransactions.add(batch.size());
          meters.sentSpans.add(encoded.spans());
          batch.clear();
          backoffMs = FIRST_BACKOFF_MS;
        } else if (status < 0 || status == 429 || status >= 500) {
          if (queue.size() >= queue.max()) {
            meters.droppedFailed.add(batch.size()); // the queue behind it is full: newer data goes first
            batch.clear();
          } else {
            pause(backoffMs);
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
          }
        } else {
          meters.droppedFailed.add(batch.size());
          batch.clear();
        }
      } catch (RuntimeException e) {
        // an encoding bug costs its batch, never the thread
        meters.droppedFailed.add(batch.size());
        batch.clear();
        failed("encoding a batch failed: " + e, e);
      }
    }
  }

  /**
   * Parks until a full batch is queued, the oldest queued transaction has waited {@link #LINGER_MS},
   * or {@code until} (the next metric export; Long.MAX_VALUE for none). An idle exporter parks
   * without a timeout: the first offer into an empty queue wakes it.
   */
  private void awaitBatch(long until) {
    long firstSeen = 0;
    while (!closed) {
      int n = queue.size();
      long now = System.currentTimeMillis();
      if (n >= batchMax || now >= until) {
        return;
      }
      long wakeAt = until;
      if (n > 0) {
        if (firstSeen == 0) {
          firstSeen = now;
        }
        if (now - firstSeen >= LINGER_MS) {
          return;
        }
        wakeAt = Math.min(until, firstSeen + LINGER_MS);
      }
      waiting = true;
      if (queue.size() == n) { // an offer made before waiting was set is seen here, not slept through
        if (wakeAt == Long.MAX_VALUE) {
          LockSupport.park(this);
        } else {
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(wakeAt - now));
        }
      }
      waiting = false;
    }
  }

  private void pause(long ms) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    long left;
    while (!closed && (left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(this, left);
    }
  }

  private void sendPeriodic() {
    byte[] body;
    try {
      body = periodicBody.get();
    } catch (RuntimeException e) {
      meters.metricsFailed.increment();
      failed("encoding metrics failed: " + e, e);
      return;
    }
    if (body == null) {
      return;
    }
    int status = post(periodicUri, body);
    if (status >= 200 && status < 300) {
      meters.metricsSent.increment();
    } else {
      meters.metricsFailed.increment(); // cumulative figures: the next export carries what this one had
    }
  }

  /** POSTs {@code body}; the HTTP status, or -1 when no answer came (counted and logged). */
  private int post(URI to, byte[] body) {
    meters.requests.increment();
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(to).timeout(timeout).header("Content-Type", contentType);
      if (gzip) {
        b.header("Content-Encoding", "gzip");
        body = gzip(body);
      }
      for (Map.Entry<String, String> h : headers.entrySet()) {
        b.header(h.getKey(), h.getValue());
      }
      HttpResponse<Void> r = client.send(b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.discarding());
      int status = r.statusCode();
      if (status < 200 || status >= 300) {
        meters.requestsFailed.increment();
        failed(to + " answered " + status, null);
      }
      return status;
    } catch (IOException e) {
      meters.requestsFailed.increment();
      failed(to + ": " + e, null);
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
      return -1;
    }
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out)) {
      z.write(body);
    }
    return out.toByteArray();
  }

  private void failed(String why, Throwable error) {
    meters.lastError(why);
    if (!warned) {
      warned = true;
      LOG.log(Level.WARNING, "export (" + meters.name + "): " + why + "; further failures are counted"
          + " (GET /api/export, whatap_agent_export_*) and logged at FINE", error);
    } else {
      LOG.log(Level.FINE, "export (" + meters.name + "): " + why, error);
    }
  }

  /** Stops the thread (what is queued is not sent: the agent is closing). */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    thread.interrupt(); // a request in flight ends at once
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
