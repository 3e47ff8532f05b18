package io.whatap.trace;

import io.whatap.util.UrlText;
import io.whatap.wire.PackType;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One transaction in flight. Written by the thread(s) serving its request; once
 * {@link #end()} wins the compare-and-set it is handed to the sender, which reads it on its
 * own thread. Steps may be added from any thread (async hops) without a lock.
 */
public final class TraceContext {
  private static final VarHandle STEPS;
  private static final VarHandle SPARE;
  private static final VarHandle STATE;
  private static final VarHandle END_ACTIONS;
  /** Where {@code steps} points once the sender has sent them and given them back to the pool. */
  private static final Step SENT = new Step();

  static {
    SENT.index = -1;
  }

  static {
    try {
      MethodHandles.Lookup l = MethodHandles.lookup();
      STEPS = l.findVarHandle(TraceContext.class, "steps", Step.class);
      SPARE = l.findVarHandle(TraceContext.class, "spareSteps", Step.class);
      STATE = l.findVarHandle(TraceContext.class, "state", int.class);
      END_ACTIONS = l.findVarHandle(TraceContext.class, "endActions", EndAction.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final int ACTIVE = 0;
  static final int ENDED = 1;

  private final Tracer tracer;
  private final long txid;
  private final long startMillis;
  final long startNanos;
  private final long threadId;
  final Thread thread;
  /** Profiles are sampled; statistics are not. An unsampled transaction records no steps. */
  private final boolean sampled;

  volatile String name;
  // What the request said about itself: written by the adapter's thread before the context is
  // shared (HttpServerHandler.start), read by the sender after the end's compare-and-set.
  private String host;
  private String httpMethod;
  private String clientIp;
  private String userAgent;
  private String referer;
  private String capturedHeaders;

  // multi-transaction (caller) fields reported in TX_END, written while the incoming headers are read
  private long mtid;
  private int mdepth;
  private long mcallerTxid;
  private long mcallerPcode;
  private String mcallerSpec;
  private String mcallerUrl;
  private String mcallerPoidKey;
  /**
   * The high 64 bits of the W3C trace id this transaction continues (0 when the chain started
   * with us or came with x-wtap-* only): written back in outgoing traceparent headers so a W3C
   * trace that passes through us keeps its id. The low 64 bits are {@link #mtid}.
   */
  private long traceIdHigh;

  volatile int status;
  volatile Throwable error;
  volatile String errorClass;
  volatile String errorMessage;
  private volatile Step steps;
  /** Pooled steps this transaction may fill, taken from the tracer's pool at its first step. */
  volatile Step spareSteps;
  private volatile int state;
  /** What {@link #beforeEnd} registered, newest first; taken whole (once) when the transaction ends. */
  private volatile EndAction endActions;
  int droppedSteps;
  int activeSlot = -1;
  /** Set when the transaction was attached by a manual start: what to restore when it ends. */
  TraceContext previousOnThread;
  boolean attachedByStart;

  /**
   * Set by the ending thread before the hand-off in stats mode: the sender counts this transaction
   * in its statistics (and the {@link Meters}) and decides whether it also leaves in full.
   */
  boolean countedInStats;
  /** The sender thread's own: it sent this transaction's TX_START while it was still running. */
  private boolean startSent;
  /**
   * The API's view of this transaction, made at the first {@code Whatap.currentTransaction()} and
   * handed out again after: code that asks per statement or per call allocates nothing, and sees the
   * same object each time. Typed {@code Object}: this layer does not know the facade above it.
   */
  private Object apiView;

  int elapsedMs;
  /** The thread's CPU clock at start until {@link #finish}, then the CPU time used (0 when not measured). */
  long cpuNanos;

  TraceContext(Tracer tracer, long txid, String name, boolean sampled, boolean measureCpu) {
    this.tracer = tracer;
    this.txid = txid;
    this.name = name;
    this.sampled = sampled;
    long now = System.nanoTime();
    this.startNanos = now;
    this.startMillis = WallClock.millisAt(now);
    Thread t = Thread.currentThread();
    this.thread = t;
    this.threadId = t.getId();
    this.cpuNanos = measureCpu ? ThreadCpu.currentNanos() : -1;
  }

  /** What {@link #apiView(Object)} kept, or null. */
  public Object apiView() {
    return apiView;
  }

  /**
   * Keeps the API's view of this transaction. A race between two threads keeps either view; both
   * are views of this same transaction.
   */
  public void apiView(Object view) {
    apiView = view;
  }

  /** The tracer that started this transaction (its configuration, pools and meters). */
  public Tracer tracer() {
    return tracer;
  }

  public long txid() {
    return txid;
  }

  /** Wall-clock start, epoch ms. */
  public long startMillis() {
    return startMillis;
  }

  /** The id of the thread that started the transaction. */
  public long threadId() {
    return threadId;
  }

  /** Whether this transaction's profile (its steps) is recorded; statistics always are. */
  public boolean isSampled() {
    return sampled;
  }

  /**
   * Records what the request says about itself; null for what was not read (a user agent or
   * referer the configuration does not trace). Called once, before the context is shared.
   */
  public void requestFrom(String httpMethod, String host, String clientIp, String userAgent, String referer) {
    this.httpMethod = httpMethod;
    this.host = host;
    this.clientIp = clientIp;
    this.userAgent = userAgent;
    this.referer = referer;
  }

  /** Records the request headers captured by {@code trace_http_header_keys}, as "name=value" lines. */
  public void headersCaptured(String text) {
    this.capturedHeaders = text;
  }

  public String httpMethod() {
    return httpMethod;
  }

  public String host() {
    return host;
  }

  public String clientIp() {
    return clientIp;
  }

  public String userAgent() {
    return userAgent;
  }

  public String referer() {
    return referer;
  }

  public String capturedHeaders() {
    return capturedHeaders;
  }

  /** This transaction continues the chain {@code mtid}, called at {@code depth} by {@code callerTxid}. */
  public void calledBy(long mtid, int depth, long callerTxid) {
    this.mtid = mtid;
    this.mdepth = depth;
    this.mcallerTxid = callerTxid;
  }

  /** The caller's W3C trace id had these high 64 bits (the low ones are the mtid): kept for outgoing traceparent. */
  public void continuesTraceId(long traceIdHigh) {
    this.traceIdHigh = traceIdHigh;
  }

  /** The caller's service spec and URL (the x-wtap-info header). */
  public void calledFrom(String spec, String url) {
    this.mcallerSpec = spec;
    this.mcallerUrl = url;
  }

  /** The caller's process: its pcode and the x-wtap-po header it came from. */
  public void callerProcess(long pcode, String poidKey) {
    this.mcallerPcode = pcode;
    this.mcallerPoidKey = poidKey;
  }

  /**
   * The multi-transaction id to send on an outgoing call: the chain's, or this transaction's
   * txid when it starts the chain (it is named after its root from then on).
   */
  public long chainIdForOutgoing() {
    if (mtid == 0) {
      mtid = txid;
    }
    return mtid;
  }

  /** The chain (multi-transaction) id, 0 when no caller and no outgoing call made one. */
  public long mtid() {
    return mtid;
  }

  public int mdepth() {
    return mdepth;
  }

  public long mcallerTxid() {
    return mcallerTxid;
  }

  public long mcallerPcode() {
    return mcallerPcode;
  }

  public String mcallerSpec() {
    return mcallerSpec;
  }

  public String mcallerUrl() {
    return mcallerUrl;
  }

  public String mcallerPoidKey() {
    return mcallerPoidKey;
  }

  public long traceIdHigh() {
    return traceIdHigh;
  }

  public String name() {
    return name;
  }

  public void rename(String newName) {
    if (newName != null && !newName.isEmpty() && state != ENDED) {
      name = newName;
    }
  }

  public int statusCode() {
    return status;
  }

  public Throwable errorThrowable() {
    return error;
  }

  public String errorClass() {
    return errorClass;
  }

  public String errorMessage() {
    return errorMessage;
  }

  public boolean hasError() {
    return error != null || errorClass != null;
  }

  public boolean isEnded() {
    return state == ENDED;
  }

  public long endMillis() {
    return startMillis + elapsedMs;
  }

  public int elapsedMs() {
    return elapsedMs;
  }

  /** CPU time of the starting thread in ms, or 0 when not measured (async ends, option off, still running). */
  public long cpuMillis() {
    return state != ENDED || cpuNanos <= 0 ? 0 : cpuNanos / 1_000_000;
  }

  /** True when this transaction is counted in the sender's statistics (stats mode), not by the request thread. */
  public boolean countedInStats() {
    return countedInStats;
  }

  /** Whether the sender already sent TX_START while the transaction ran (sender thread only). */
  public boolean startSent() {
    return startSent;
  }

  /** The sender sent TX_START while the transaction ran (sender thread only). */
  public void markStartSent() {
    startSent = true;
  }

  public int droppedSteps() {
    return droppedSteps;
  }

  /** Elapsed so far, in ms, for a transaction still running. */
  public long runningMillis(long nowNanos) {
    return (nowNanos - startNanos) / 1_000_000;
  }

  public Thread thread() {
    return thread;
  }

  /**
   * Steps newest first; the sender reverses them. Valid after the context has ended and until
   * it has been sent (then null: the step objects have gone back to the pool).
   */
  public Step stepsNewestFirst() {
    Step s = steps;
    return s == SENT ? null : s;
  }

  public int stepCount() {
    Step s = steps;
    return s == null ? 0 : s.index + 1;
  }

  /**
   * Called by the sender once it has encoded this context: seals the step list (a late step
   * from another thread is then ignored) and gives the step objects, cleared, back to the pool.
   */
  public void recycleSteps() {
    Step used = (Step) STEPS.getAndSet(this, SENT);
    Step spare = (Step) SPARE.getAndSet(this, null);
    StepPool pool = tracer.stepPool();
    if (!pool.giveAll(used == SENT ? null : used, true)) {
      return;
    }
    pool.giveAll(spare, false);
  }

  public void sql(String dbc, String sql, long start, int elapsed, int fetch) {
    Step s = newStep(PackType.TX_SQL, start, elapsed);
    if (s != null) {
      s.dbc = dbc;
      s.sql = sql;
      s.fetch = Math.max(0, fetch); // JDBC says -1 for "unknown"; the wire says 0
      push(s);
    }
  }

  public void dbConnect(String dbc, long start, int elapsed) {
    Step s = newStep(PackType.TX_DB_CONN, start, elapsed);
    if (s != null) {
      s.dbc = dbc;
      push(s);
    }
  }

  /** The status is not recorded: TX_HTTPC has no field for it. */
  public void httpCall(String url, long start, int elapsed, int httpStatus) {
    httpCall(url, start, elapsed, httpStatus, 0, null);
  }

  /**
   * An outgoing call that carried our multi-transaction headers: {@code calleeTxid} (what
   * {@code Whatap.outgoingHeaders} returned) becomes the TX_HTTPC step id that links the callee.
   */
  public void httpCall(String url, long start, int elapsed, int httpStatus, long calleeTxid) {
    httpCall(url, start, elapsed, httpStatus, calleeTxid, null);
  }

  /** As {@link #httpCall(String, long, int, int, long)}, naming the HTTP client library ({@code driver}). */
  public void httpCall(String url, long start, int elapsed, int httpStatus, long calleeTxid, String driver) {
    Step s = newStep(PackType.TX_HTTPC, start, elapsed);
    if (s != null) {
      // the query string, fragment and user info are where tokens travel: dropped as the request URL's
      s.url = UrlText.recordable(url);
      s.calleeTxid = calleeTxid;
      s.driver = driver;
      push(s);
    }
  }

  public void message(String title, String value, String description) {
    Step s = newStep(PackType.TX_MSG, WallClock.millis(), 0);
    if (s != null) {
      s.title = title;
      s.value = value;
      s.description = description;
      push(s);
    }
  }

  public void method(String methodName, long start, int elapsed) {
    Step s = newStep(PackType.TX_METHOD, start, elapsed);
    if (s != null) {
      s.methodName = methodName;
      push(s);
    }
  }

  public void error(Throwable t) {
    if (t == null || state == ENDED) {
      return; // the sender may be reading this transaction: it no longer changes
    }
    error = t;
    Step s = newStep(PackType.TX_ERROR, WallClock.millis(), 0);
    if (s != null) {
      s.errorClass = t.getClass().getName();
      s.error = t;
      push(s);
    }
  }

  public void error(String cls, String message) {
    if (cls == null || state == ENDED) {
      return;
    }
    errorClass = cls;
    errorMessage = message;
    Step s = newStep(PackType.TX_ERROR, WallClock.millis(), 0);
    if (s != null) {
      s.errorClass = cls;
      s.errorMessage = message;
      push(s);
    }
  }

  /** Marks the transaction as failed by {@code t} without recording a second error step for it. */
  void failWith(Throwable t) {
    if (error != t) {
      error(t);
    }
  }

  public void status(int httpStatus) {
    if (state != ENDED) {
      status = httpStatus;
    }
  }

  public void end() {
    tracer.end(this);
    if (attachedByStart && CurrentContext.attached() == this) {
      CurrentContext.restore(previousOnThread);
    }
  }

  /** Runs {@code action} just before the transaction ends (see {@code Transaction.beforeEnd}). */
  public void beforeEnd(Runnable action) {
    if (action == null || state == ENDED) {
      return;
    }
    EndAction node = new EndAction(action);
    while (true) {
      EndAction head = endActions;
      node.next = head;
      if (END_ACTIONS.compareAndSet(this, head, node)) {
        return;
      }
    }
  }

  /** Runs the registered end actions once (the list is taken with one atomic swap), each guarded. */
  void runEndActions() {
    EndAction a = (EndAction) END_ACTIONS.getAndSet(this, (EndAction) null);
    for (; a != null; a = a.next) {
      try {
        a.action.run();
      } catch (RuntimeException | Error e) {
        io.whatap.util.AgentLog.get().warnOnce("end-action", "an end-of-transaction action failed", e);
      }
    }
  }

  private static final class EndAction {
    final Runnable action;
    EndAction next;

    EndAction(Runnable action) {
      this.action = action;
    }
  }

  boolean markEnded() {
    return STATE.compareAndSet(this, ACTIVE, ENDED);
  }

  void finish(long nowNanos) {
    elapsedMs = (int) Math.min(Integer.MAX_VALUE, (nowNanos - startNanos) / 1_000_000);
    long cpuStart = cpuNanos;
    if (cpuStart >= 0 && Thread.currentThread() == thread) {
      long now = ThreadCpu.currentNanos();
      cpuNanos = now > cpuStart ? now - cpuStart : 0;
    } else {
      cpuNanos = 0;
    }
  }

  /**
   * A cleared step of this type for the caller to fill and {@link #push}, or null when the
   * transaction records no more steps: not sampled, ended, already sent, or at
   * {@code profile_step_max} (counted).
   */
  private Step newStep(int type, long start, int elapsed) {
    if (!sampled || state == ENDED) {
      return null;
    }
    Step head = steps;
    if (head == SENT) {
      return null;
    }
    if ((head == null ? 0 : head.index + 1) >= tracer.profileStepMax()) {
      countDroppedStep();
      return null;
    }
    Step step = takeSpare();
    step.type = type;
    step.time = start;
    step.elapsed = elapsed;
    return step;
  }

  /** Publishes a filled step; it is lost if the transaction was sent or filled up meanwhile (another thread). */
  private void push(Step step) {
    int max = tracer.profileStepMax();
    while (true) {
      Step head = steps;
      if (head == SENT) {
        return;
      }
      int index = head == null ? 0 : head.index + 1;
      if (index >= max) {
        countDroppedStep();
        return;
      }
      step.next = head;
      step.index = index;
      if (STEPS.compareAndSet(this, head, step)) {
        return;
      }
    }
  }

  private void countDroppedStep() {
    droppedSteps++; // racy by design: an approximate count is fine, a lock is not
    tracer.meters().stepsDropped.increment();
  }

  /**
   * A spare step of this transaction, else the first of a chain taken from the pool (the rest
   * kept as spares), else a new one. A transaction that records no step never touches the pool.
   * Popping is safe without a version stamp: a step leaves a spare list only once and goes back
   * to the pool only after this context was sealed, so the compare-and-set can never see a
   * recycled head (no ABA) while the context's steps are still sent.
   */
  private Step takeSpare() {
    while (true) {
      Step s = spareSteps;
      if (s == null) {
        Step chain = tracer.stepPool().take();
        if (chain == null) {
          return new Step();
        }
        Step rest = chain.next;
        chain.next = null;
        if (rest != null && !SPARE.compareAndSet(this, null, rest)) {
          tracer.stepPool().give(rest); // another thread of this transaction took a chain first
        }
        return chain;
      }
      if (SPARE.compareAndSet(this, s, s.next)) {
        return s;
      }
    }
  }

  @Override
  public String toString() {
    return "TraceContext{txid=" + txid + ", name=" + name + "}";
  }
}
