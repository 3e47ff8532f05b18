package io.whatap.http;

import io.whatap.trace.TraceContext;
import io.whatap.util.AgentLog;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

/**
 * One outgoing HTTP call in flight, from {@link HttpClientHandler#start} to {@link #end}. It
 * holds the transaction that was current when the application sent the request, so the step is
 * recorded on that transaction whatever thread the client completes on. It ends once: a library
 * that reports both a failure and a completion records one step.
 */
public final class HttpClientCall implements BiConsumer<String, String> {
  private static final AtomicIntegerFieldUpdater<HttpClientCall> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(HttpClientCall.class, "ended");

  /** Null when the call records through {@link #recorder} instead (this copy of whatap-api bundled under the javaagent). */
  private final TraceContext tx;
  private final Object bridgedTx;
  private final Recorder recorder;
  private final String driver;
  private final String url;
  private final long startMillis;
  private final long startNanos;
  private long calleeTxid;
  /** Where {@link #accept} writes, only while {@link #inject} runs. */
  private HeaderSetter<Object> setter;
  private Object carrier;
  private volatile int ended;
  private volatile int status;

  HttpClientCall(TraceContext tx, String driver, String url) {
    this(tx, null, null, driver, url);
  }

  private HttpClientCall(TraceContext tx, Object bridgedTx, Recorder recorder, String driver, String url) {
    this.tx = tx;
    this.bridgedTx = bridgedTx;
    this.recorder = recorder;
    this.driver = driver;
    this.url = url;
    this.startNanos = System.nanoTime();
    this.startMillis = System.currentTimeMillis();
  }

  /**
   * A call of a transaction this copy of whatap-api does not hold: {@code bridgedTx} is the javaagent's
   * handle for it, and {@code recorder} writes the headers and records the step through the javaagent
   * (io.whatap.spi's {@code HttpClientTracing}), so the step lands in the transaction the javaagent started.
   */
  public static HttpClientCall bridged(Object bridgedTx, Recorder recorder, String driver, String url) {
    return new HttpClientCall(null, bridgedTx, recorder, driver, HttpClientHandler.stripUrl(url));
  }

  /** How a {@link #bridged} call records: through the javaagent's API bridge. */
  public interface Recorder {
    /** Writes the current transaction's outgoing headers through {@code headers}; the callee's txid, or 0. */
    long outgoingHeaders(BiConsumer<String, String> headers);

    void httpCall(Object tx, String url, long startMillis, int elapsedMs, int status, long calleeTxid, String driver);

    void error(Object tx, Throwable error);
  }

  /**
   * Writes the caller's multi-transaction headers ({@code x-wtap-*} and {@code traceparent}, as {@code Whatap.outgoingHeaders}
   * does) on {@code carrier}; the txid it assigns to the callee becomes this step's id. Call on the
   * application's thread, before the request leaves.
   */
  @SuppressWarnings("unchecked")
  public <C> void inject(HeaderSetter<C> headerSetter, C headerCarrier) {
    setter = (HeaderSetter<Object>) headerSetter;
    carrier = headerCarrier;
    try {
      calleeTxid = tx != null ? Propagation.writeOutgoing(tx.tracer(), tx, this) : recorder.outgoingHeaders(this);
    } catch (RuntimeException e) {
      AgentLog.get().warnOnce("outgoing-headers", "could not write multi-transaction headers", e);
    } finally {
      setter = null;
      carrier = null;
    }
  }

  /** Writes one header through the hook's setter; a setter that fails costs the link, never the call. */
  @Override
  public void accept(String name, String value) {
    HeaderSetter<Object> s = setter;
    if (s == null) {
      return;
    }
    try {
      s.set(carrier, name, value);
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("httpc-header:" + driver, "could not add the " + name + " header to a "
          + driver + " request; its callee is not linked", e);
    }
  }

  /**
   * Records the TX_HTTPC step (URL, elapsed, status, callee txid, driver) and, when the call failed
   * ({@code error} not null: connect failure, timeout, reset), the error on the transaction. The
   * first call wins; later ones do nothing. {@code status} is 0 when no response arrived.
   */
  public void end(int httpStatus, Throwable error) {
    if (!ENDED.compareAndSet(this, 0, 1)) {
      return;
    }
    try {
      status = httpStatus;
      long elapsed = (System.nanoTime() - startNanos) / 1_000_000;
      int elapsedMs = (int) Math.min(Integer.MAX_VALUE, elapsed);
      if (tx == null) {
        recorder.httpCall(bridgedTx, url, startMillis, elapsedMs, httpStatus, calleeTxid, driver);
        if (error != null) {
          recorder.error(bridgedTx, unwrap(error));
        }
        return;
      }
      tx.httpCall(url, startMillis, elapsedMs, httpStatus, calleeTxid, driver);
      if (error != null) {
        tx.error(unwrap(error));
      }
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("httpc-end:" + driver, "could not record an outgoing " + driver + " call", e);
    }
  }

  /** A future's wrapper says nothing about the call: the cause is what failed. */
  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  /** The URL the step shows (query and user information removed). */
  public String url() {
    return url;
  }

  /** The txid assigned to the callee (the step id), or 0 when no headers were written. */
  public long calleeTxid() {
    return calleeTxid;
  }

  /** The status {@link #end} recorded (0: no response, or not ended yet). */
  public int status() {
    return status;
  }

  public boolean isEnded() {
    return ended != 0;
  }
}
