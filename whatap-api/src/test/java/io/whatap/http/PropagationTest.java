package io.whatap.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.Config;
import io.whatap.util.AgentLog;
import io.whatap.trace.ActiveRegistry;
import io.whatap.trace.Meters;
import io.whatap.trace.TraceContext;
import io.whatap.trace.Tracer;
import io.whatap.wire.Hexa32;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PropagationTest {
  final List<TraceContext> ended = new ArrayList<>();
  final Tracer tracer = new Tracer(Config::defaults, new Meters(), new ActiveRegistry(64), ended::add);
  final HttpServerHandler handler = new HttpServerHandler(tracer);

  TraceContext start(Map<String, String> headers) {
    return handler.start(new HttpRulesTest.MapView(), headers);
  }

  @Test
  void callerHeadersContinueTheChain() {
    long mtid = 8812345678901234567L;
    long caller = -1234567890123L;
    long assigned = 424242424242L;
    Map<String, String> h = new HashMap<>();
    h.put("x-wtap-mst", Hexa32.toString32(mtid) + ",2," + Hexa32.toString32(caller));
    h.put("x-wtap-tx", Hexa32.toString32(assigned));
    h.put("x-wtap-inf", "ver1.0,12345");
    h.put("x-wtap-po", Hexa32.toString32(55) + "," + Hexa32.toString32(1) + "," + Hexa32.toString32(7));
    TraceContext ctx = start(h);
    assertThat(ctx.txid()).isEqualTo(assigned);
    assertThat(ctx.mtid()).isEqualTo(mtid);
    assertThat(ctx.mdepth()).isEqualTo(2);
    assertThat(ctx.mcallerTxid()).isEqualTo(caller);
    assertThat(ctx.mcallerSpec()).isEqualTo("ver1.0");
    assertThat(ctx.mcallerUrl()).isEqualTo("12345");
    assertThat(ctx.mcallerPcode()).isEqualTo(55);
  }

  @Test
  void traceparentIsUnderstood() {
    TraceContext ctx = start(Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    assertThat(ctx.mtid()).isEqualTo(Long.parseUnsignedLong("8448eb211c80319c", 16));
    assertThat(ctx.mcallerTxid()).isEqualTo(Long.parseUnsignedLong("b7ad6b7169203331", 16));
    assertThat(ctx.mdepth()).isEqualTo(1);
  }

  @Test
  void malformedHeadersAreIgnoredAndCountedOnce() {
    long before = tracer.meters().malformedInput.sum();
    long internalErrorsBefore = AgentLog.get().errorCount();
    for (String bad : new String[] {"garbage", ",,", "x1,notanumber,x2", "1,2,", "\u0000\u0001,1,1", "z".repeat(500)}) {
      TraceContext ctx = start(Map.of("x-wtap-mst", bad, "x-wtap-tx", "!!"));
      assertThat(ctx).isNotNull();
      assertThat(ctx.mtid()).isZero();
      assertThat(ctx.txid()).isNotZero();
    }
    TraceContext tp = start(Map.of("traceparent", "00-zz-yy-01"));
    assertThat(tp.mtid()).isZero();
    assertThat(tracer.meters().malformedInput.sum() - before).isEqualTo(7);
    assertThat(AgentLog.get().errorCount() - internalErrorsBefore)
        .as("agent_internal_errors: malformed input is counted in agent_malformed_input only").isZero();
    assertThat(AgentLog.get().occurrences("propagation-malformed")).as("still logged").isGreaterThanOrEqualTo(7);
  }

  @Test
  void outgoingHeadersAreReadBackByTheCallee() {
    TraceContext root = tracer.start("/root");
    Map<String, String> out = new HashMap<>();
    long callee = Propagation.writeOutgoing(tracer, root, out::put);
    assertThat(callee).isNotZero();
    assertThat(root.mtid()).as("the root names the chain").isEqualTo(root.txid());
    TraceContext child = start(out);
    assertThat(child.txid()).isEqualTo(callee);
    assertThat(child.mtid()).isEqualTo(root.txid());
    assertThat(child.mdepth()).isEqualTo(1);
    assertThat(child.mcallerTxid()).isEqualTo(root.txid());
    assertThat(out.get("traceparent")).as("trace id = mtid, span id = the callee txid (our step id), sampled")
        .isEqualTo("00-0000000000000000" + hex16(root.txid()) + "-" + hex16(callee) + "-01");
  }

  private static String hex16(long v) {
    return String.format("%016x", v);
  }

  @Test
  void aCalleeReadingOnlyOurTraceparentGetsTheMtidOfOurWtapHeaders() {
    TraceContext root = tracer.start("/root");
    Map<String, String> out = new HashMap<>();
    long callee = Propagation.writeOutgoing(tracer, root, out::put);
    TraceContext both = start(out);
    TraceContext w3cOnly = start(Map.of("traceparent", out.get("traceparent")));
    assertThat(w3cOnly.mtid()).isEqualTo(both.mtid()).isEqualTo(root.txid());
    assertThat(w3cOnly.mcallerTxid()).as("the W3C parent: our TX_HTTPC step, whose id x-wtap-tx assigns")
        .isEqualTo(callee).isEqualTo(both.txid());
  }

  @Test
  void aW3cTraceContinuesThroughUsWithItsWholeTraceId() {
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    TraceContext ctx = start(Map.of("traceparent", "00-" + traceId + "-b7ad6b7169203331-01"));
    Map<String, String> out = new HashMap<>();
    long callee = Propagation.writeOutgoing(tracer, ctx, out::put);
    assertThat(out.get("traceparent")).isEqualTo("00-" + traceId + "-" + hex16(callee) + "-01");
    assertThat(out.get("x-wtap-mst")).startsWith(Hexa32.toString32(Long.parseUnsignedLong("8448eb211c80319c", 16)) + ",2,");
    // the next hop reads both headers: x-wtap-* gives the ids, the agreeing traceparent keeps the trace id
    TraceContext next = start(out);
    assertThat(next.txid()).isEqualTo(callee);
    assertThat(next.mtid()).isEqualTo(ctx.mtid());
    assertThat(next.mdepth()).isEqualTo(2);
    Map<String, String> onward = new HashMap<>();
    Propagation.writeOutgoing(tracer, next, onward::put);
    assertThat(onward.get("traceparent")).startsWith("00-" + traceId + "-");
  }

  @Test
  void wtapHeadersWinOverATraceparentOfAnotherChain() {
    TraceContext root = tracer.start("/root");
    Map<String, String> out = new HashMap<>();
    Propagation.writeOutgoing(tracer, root, out::put);
    out.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    long before = tracer.meters().malformedInput.sum();
    TraceContext ctx = start(out);
    assertThat(ctx.mtid()).isEqualTo(root.txid());
    assertThat(ctx.mcallerTxid()).isEqualTo(root.txid());
    assertThat(ctx.traceIdHigh()).as("another chain's trace id is not ours to continue").isZero();
    assertThat(tracer.meters().malformedInput.sum()).isEqualTo(before);
  }

  @Test
  void traceparentDisabledWritesOnlyWtapHeaders() {
    Config off = new Config(Map.of("mtrace_traceparent_enabled", "false"));
    Tracer t = new Tracer(() -> off, new Meters(), new ActiveRegistry(16), ended::add);
    Map<String, String> out = new HashMap<>();
    assertThat(Propagation.writeOutgoing(t, t.start("/x"), out::put)).isNotZero();
    assertThat(out).containsKey("x-wtap-mst").doesNotContainKey("traceparent");
  }

  @Test
  void mtraceDisabledWritesNothing() {
    Config off = new Config(Map.of("mtrace_enabled", "false"));
    Tracer t = new Tracer(() -> off, new Meters(), new ActiveRegistry(16), ended::add);
    Map<String, String> out = new HashMap<>();
    assertThat(Propagation.writeOutgoing(t, t.start("/x"), out::put)).isZero();
    assertThat(out).isEmpty();
  }
}
