package io.whatap.bench.servlet;

import brave.jakarta.servlet.TracingFilter;
import io.whatap.bench.BraveNoop;
import io.whatap.bench.LoopbackSink;
import io.whatap.runtime.Agent;
import io.whatap.runtime.UdpSender;
import io.whatap.servlet.WhatapFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A servlet request through an in-memory chain: the servlet alone (the baseline), behind
 * WhatapFilter (the JVM's agent sending every transaction over UDP to a loopback sink), and
 * behind Brave's TracingFilter (every request sampled, spans dropped by a no-op handler), in
 * the same run. Requests go in batches of {@value #BATCH} with the WhaTap sender drained
 * before each batch, so no transaction is dropped for a full queue (which would flatter it).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class FilterBenchmark {
  static final int BATCH = 1000;

  /** One request/response pair reused across requests, the servlet and the three chains. */
  @State(Scope.Benchmark)
  public static class Chains {
    final MockHttpRequest request = new MockHttpRequest();
    final MockHttpResponse response = new MockHttpResponse();
    final HelloServlet servlet = new HelloServlet();
    final FilterChain toServlet = (req, res) -> servlet.service(req, res);
    LoopbackSink sink;
    Filter whatap;
    Filter brave;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      sink = new LoopbackSink(8 * 1024 * 1024);
      // WhatapFilter uses the JVM's agent (Agent.get()): point it at the sink before the first use.
      System.setProperty("whatap.home", Files.createTempDirectory("whatap-bench-home").toString());
      System.setProperty("whatap.net_udp_port", String.valueOf(sink.port()));
      System.setProperty("whatap.banner_enabled", "false");
      whatap = new WhatapFilter();
      whatap.init(new jakarta.servlet.FilterConfig() { // as a container does: init starts the agent
        @Override public String getFilterName() { return "whatap"; }
        @Override public jakarta.servlet.ServletContext getServletContext() { return null; }
        @Override public String getInitParameter(String name) { return null; }
        @Override public java.util.Enumeration<String> getInitParameterNames() { return java.util.Collections.emptyEnumeration(); }
      });
      brave = TracingFilter.create(BraveNoop.httpTracing("bench"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      if (response.bytes() == 0) {
        throw new IllegalStateException("the servlet never ran");
      }
      UdpSender s = Agent.get().sender;
      if (s.transactionsQueued() + s.transactionsDropped.sum() > 0) {
        drain(s);
        sink.awaitQuiet(300, 5000);
        System.out.println("sender: queued=" + s.transactionsQueued() + " dropped(queue full)="
            + s.transactionsDropped.sum() + " framesSent=" + s.framesSent.sum() + " | sink: frames=" + sink.frames()
            + " txEnds=" + sink.txEnds());
      }
      sink.close();
    }

    void oneRequest(Filter filter) throws IOException, ServletException {
      request.recycle();
      response.recycle();
      if (filter == null) {
        toServlet.doFilter(request, response);
      } else {
        filter.doFilter(request, response, toServlet);
      }
    }
  }

  /** Lets the WhaTap sender catch up before each batch (not timed). */
  @State(Scope.Thread)
  public static class Drained {
    @Setup(Level.Invocation)
    public void drain() {
      FilterBenchmark.drain(Agent.get().sender);
    }
  }

  static void drain(UdpSender s) {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (s.queueSize() > 0 && System.nanoTime() < deadline) {
      Thread.yield();
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void baseline(Chains c) throws Exception {
    for (int i = 0; i < BATCH; i++) {
      c.oneRequest(null);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void whatapFilter(Chains c, Drained d) throws Exception {
    for (int i = 0; i < BATCH; i++) {
      c.oneRequest(c.whatap);
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void braveTracingFilter(Chains c) throws Exception {
    for (int i = 0; i < BATCH; i++) {
      c.oneRequest(c.brave);
    }
  }

  /** The application: a GET that answers a short text body. */
  static final class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final byte[] BODY = "{\"id\":12345,\"status\":\"shipped\"}".getBytes(StandardCharsets.US_ASCII);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.setContentLength(BODY.length);
      resp.getOutputStream().write(BODY);
    }
  }
}
