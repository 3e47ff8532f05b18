package io.whatap.agent.assembly;

import java.util.List;

/**
 * A completed transaction: its TX_START and TX_END joined by txid with the steps between them.
 * Immutable once built; {@link #appId} ties it to the application it was counted in.
 */
public final class TxRecord {
  public final long txid;
  public final int appId;
  public final String app;
  public final int pid;
  public final String name;
  /** The URI the transaction started with (TX_START's), or null; {@link #name} is the final one (a route template). */
  public final String path;
  public final String host;
  public final String method;
  public final String clientIp;
  public final String userAgent;
  public final String referer;
  /** Start and end (epoch ms, the application's clock); elapsed = end - start. */
  public final long start;
  public final long end;
  public final int elapsed;
  public final int status;
  public final boolean error;
  public final String errorClass;
  public final String errorMessage;
  public final long cpuMs;
  public final long mtid;
  public final int mdepth;
  public final long callerTxid;
  public final String callerSpec;
  public final String callerUrl;
  public final long callerStepId;
  public final List<TxStep> steps;
  public final int stepsDropped;
  /** A stack the agent fetched through the back channel while the transaction was running, or null. */
  public final String activeStack;
  /** True when no TX_START was seen (it was lost or evicted): start is then the earliest known time. */
  public final boolean startMissing;
  /** When the agent completed it (epoch ms, the agent's clock). */
  public final long receivedAt;
  /** What keeping it costs in memory, roughly (the recent and kept rings are bounded by it). */
  public final long estimatedBytes;

  private TxRecord(Builder b) {
    txid = b.txid;
    appId = b.appId;
    app = b.app;
    pid = b.pid;
    name = b.name;
    path = b.path;
    host = b.host;
    method = b.method;
    clientIp = b.clientIp;
    userAgent = b.userAgent;
    referer = b.referer;
    start = b.start;
    end = b.end;
    elapsed = b.elapsed;
    status = b.status;
    error = b.error;
    errorClass = b.errorClass;
    errorMessage = b.errorMessage;
    cpuMs = b.cpuMs;
    mtid = b.mtid;
    mdepth = b.mdepth;
    callerTxid = b.callerTxid;
    callerSpec = b.callerSpec;
    callerUrl = b.callerUrl;
    callerStepId = b.callerStepId;
    steps = List.copyOf(b.steps);
    stepsDropped = b.stepsDropped;
    activeStack = b.activeStack;
    startMissing = b.startMissing;
    receivedAt = b.receivedAt;
    long bytes = 320 + 2L * (TxStep.len(name) + TxStep.len(host) + TxStep.len(userAgent) + TxStep.len(referer)
        + TxStep.len(errorMessage) + TxStep.len(callerUrl) + TxStep.len(activeStack));
    for (TxStep s : steps) {
      bytes += s.estimatedBytes();
    }
    estimatedBytes = bytes;
  }

  /**
   * Mutable while the pack stream is being joined (by {@link TxAssembler}); {@link #build} freezes it
   * once the application it belongs to is known.
   */
  public static final class Builder {
    long txid;
    int appId;
    String app;
    int pid;
    String name = "";
    String path;
    String host;
    String method;
    String clientIp;
    String userAgent;
    String referer;
    long start;
    long end;
    int elapsed;
    int status;
    boolean error;
    String errorClass;
    String errorMessage;
    long cpuMs;
    long mtid;
    int mdepth;
    long callerTxid;
    String callerSpec;
    String callerUrl;
    long callerStepId;
    List<TxStep> steps = List.of();
    int stepsDropped;
    String activeStack;
    boolean startMissing;
    long receivedAt;

    Builder() {
    }

    public long txid() {
      return txid;
    }

    public int pid() {
      return pid;
    }

    /**
     * The completed transaction, counted in application {@code appId} (named {@code app}), with the
     * stack fetched while it ran (or null), completed at {@code receivedAt} (the agent's clock).
     */
    public TxRecord build(int appId, String app, String activeStack, long receivedAt) {
      this.appId = appId;
      this.app = app;
      this.activeStack = activeStack;
      this.receivedAt = receivedAt;
      return new TxRecord(this);
    }
  }
}
