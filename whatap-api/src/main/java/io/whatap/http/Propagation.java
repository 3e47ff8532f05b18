package io.whatap.http;

import io.whatap.config.Config;
import io.whatap.trace.TraceContext;
import io.whatap.trace.Tracer;
import io.whatap.util.AgentLog;
import io.whatap.wire.Hexa32;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * Multi-transaction headers, in and out. Incoming values are untrusted: a malformed one is
 * ignored and counted, never an error for the request.
 */
public final class Propagation {
  /** The W3C Trace Context header, read and written when {@code mtrace_traceparent_enabled}. */
  public static final String TRACEPARENT = "traceparent";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Propagation() { }

  /**
   * The txid the caller assigned to this transaction through the callee header, or 0: read before
   * the transaction starts (its txid is fixed at start), and believed only beside a caller header.
   * The rest of the incoming headers is read by {@link #extract}.
   */
  static <R> long assignedTxid(Config c, HttpRequestView<R> view, R request) {
    if (!c.mtraceEnabled) {
      return 0;
    }
    String callee = view.header(request, c.mtraceCalleeKey);
    if (callee == null || view.header(request, c.mtraceCallerKey) == null) {
      return 0;
    }
    return assignedTxid(callee);
  }

  /**
   * Reads every incoming propagation header of {@code request} the configuration enables
   * (x-wtap-* caller, info and poid; W3C {@code traceparent}) into {@code ctx}. A malformed value
   * is ignored, counted ({@code agent_malformed_input}) and logged once; it never fails the request.
   */
  static <R> void extract(HttpRequestView<R> view, R request, TraceContext ctx) {
    Config c = ctx.tracer().config();
    if (!c.mtraceEnabled) {
      return;
    }
    String caller = view.header(request, c.mtraceCallerKey);
    String traceparent = c.mtraceTraceparent ? view.header(request, TRACEPARENT) : null;
    if (caller == null && traceparent == null) {
      return;
    }
    String info = view.header(request, c.mtraceInfoKey);
    String poid = view.header(request, c.mtracePoidKey);
    if (!readIncoming(c, ctx, caller, info, poid, traceparent)) {
      ctx.tracer().meters().malformedInput.increment(); // agent_malformed_input; not an internal error too
      AgentLog.get().logOnce("propagation-malformed",
          "ignored a malformed multi-transaction header (" + c.mtraceCallerKey + " or traceparent)", null);
    }
  }

  /** The callee header's txid, or 0 when it is not one. */
  static long assignedTxid(String calleeHeader) {
    if (calleeHeader == null || calleeHeader.isEmpty() || calleeHeader.length() > 20) {
      return 0;
    }
    try {
      return Hexa32.toLong32(calleeHeader.trim());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Reads the caller's identity into {@code ctx}. Returns false when a header was present but
   * malformed (the caller counts it).
   */
  static boolean readIncoming(Config c, TraceContext ctx, String caller, String info, String poid,
      String traceparent) {
    boolean ok = true;
    if (caller != null && !caller.isEmpty()) {
      ok = readCaller(ctx, caller);
      if (ok && traceparent != null && c.mtraceTraceparent) {
        keepTraceIdHigh(ctx, traceparent);
      }
    } else if (traceparent != null && c.mtraceTraceparent) {
      ok = readTraceparent(ctx, traceparent);
    }
    if (info != null && !info.isEmpty() && info.length() <= 2048) {
      int comma = info.indexOf(',');
      ctx.calledFrom(comma < 0 ? info : info.substring(0, comma), comma < 0 ? null : info.substring(comma + 1));
    }
    if (poid != null && !poid.isEmpty()) {
      if (poid.length() <= 128) {
        int comma = poid.indexOf(',');
        try {
          ctx.callerProcess(Hexa32.toLong32(comma < 0 ? poid : poid.substring(0, comma)), poid);
        } catch (RuntimeException e) {
          ok = false;
        }
      } else {
        ok = false;
      }
    }
    return ok;
  }

  /** "hexa32(mtid),depth,hexa32(callerTxid)" */
  static boolean readCaller(TraceContext ctx, String v) {
    if (v.length() > 64) {
      return false;
    }
    int c1 = v.indexOf(',');
    int c2 = c1 < 0 ? -1 : v.indexOf(',', c1 + 1);
    if (c1 <= 0 || c2 <= c1 + 1 || c2 == v.length() - 1) {
      return false;
    }
    try {
      long mtid = Hexa32.toLong32(v.substring(0, c1).trim());
      int depth = Integer.parseInt(v.substring(c1 + 1, c2).trim());
      long caller = Hexa32.toLong32(v.substring(c2 + 1).trim());
      if (depth < 0 || depth > 1000) {
        return false;
      }
      ctx.calledBy(mtid, depth, caller);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** W3C "00-{32 hex trace id}-{16 hex parent id}-{2 hex flags}": mtid = low 64 bits of the trace id. */
  static boolean readTraceparent(TraceContext ctx, String v) {
    String s = v.trim();
    if (s.length() < 55 || s.charAt(2) != '-' || s.charAt(35) != '-' || s.charAt(52) != '-') {
      return false;
    }
    try {
      long traceLow = Long.parseUnsignedLong(s.substring(19, 35), 16);
      long parent = Long.parseUnsignedLong(s.substring(36, 52), 16);
      if (traceLow == 0 && Long.parseUnsignedLong(s.substring(3, 19), 16) == 0) {
        return false;
      }
      ctx.calledBy(traceLow, 1, parent);
      ctx.continuesTraceId(Long.parseUnsignedLong(s.substring(3, 19), 16));
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * With x-wtap-* read, a traceparent beside it (ours, or a W3C-aware hop's that kept the trace)
   * describes the same chain when its trace id's low 64 bits are the mtid: its high 64 bits are
   * kept so our outgoing traceparent continues that trace id. Any other traceparent is ignored:
   * x-wtap-* wins, and it was well-formed, so nothing is counted.
   */
  private static void keepTraceIdHigh(TraceContext ctx, String v) {
    String s = v.trim();
    if (s.length() < 55 || s.charAt(2) != '-' || s.charAt(35) != '-') {
      return;
    }
    try {
      if (Long.parseUnsignedLong(s.substring(19, 35), 16) == ctx.mtid()) {
        ctx.continuesTraceId(Long.parseUnsignedLong(s.substring(3, 19), 16));
      }
    } catch (NumberFormatException e) {
      // not the same chain: x-wtap-* alone describes the caller
    }
  }

  /**
   * {@code 00-<trace id>-<span id>-01}: the trace id is {@code traceIdHigh} then {@code mtid}
   * (so a callee reading it gets the mtid x-wtap-mst carries), the span id is the callee txid,
   * the id of our TX_HTTPC step, which is the W3C parent of whatever the callee records; sampled,
   * since we record every call we propagate.
   */
  static String traceparent(long traceIdHigh, long mtid, long spanId) {
    char[] out = new char[55];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    hex16(traceIdHigh, out, 3);
    hex16(mtid, out, 19);
    out[35] = '-';
    hex16(spanId, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = '1';
    return new String(out);
  }

  private static void hex16(long v, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }

  /**
   * Writes the headers an outgoing call from {@code ctx} should carry (x-wtap-*, and W3C
   * {@code traceparent} unless {@code mtrace_traceparent_enabled=false}) and returns the txid
   * assigned to the callee (the step id of the caller's TX_HTTPC), or 0 when none were written
   * ({@code mtrace_enabled=false} or not picked by {@code mtrace_rate}).
   */
  public static long writeOutgoing(Tracer tracer, TraceContext ctx, BiConsumer<String, String> headers) {
    Config c = tracer.config();
    if (ctx == null || !c.mtraceEnabled
        || (c.mtraceRate < 100 && ThreadLocalRandom.current().nextInt(100) >= c.mtraceRate)) {
      return 0;
    }
    long mtid = ctx.chainIdForOutgoing();
    long callee = Tracer.newTxid();
    headers.accept(c.mtraceCallerKey,
        Hexa32.toString32(mtid) + "," + (ctx.mdepth() + 1) + "," + Hexa32.toString32(ctx.txid()));
    headers.accept(c.mtraceCalleeKey, Hexa32.toString32(callee));
    String spec = c.mtraceSpec.isEmpty() ? c.appName : c.mtraceSpec;
    headers.accept(c.mtraceInfoKey, spec + "," + ctx.name().hashCode());
    if (c.mtraceTraceparent) {
      headers.accept(TRACEPARENT, traceparent(ctx.traceIdHigh(), mtid, callee));
    }
    return callee;
  }
}
