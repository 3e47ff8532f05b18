package io.whatap.bench;

import io.whatap.Transaction;
import io.whatap.runtime.UdpSender;
import io.whatap.trace.TraceContext;
import io.whatap.trace.Tracer;
import java.io.IOException;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One transaction as a request thread pays for it: start, an SQL step, an HTTP-call step, a
 * method step, end. The real sender thread runs and sends every transaction to a real UDP
 * socket on loopback, read and discarded by a sink thread. The baselines make the same calls
 * against no agent, in the same run.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class TransactionBenchmark {
  static final int BATCH = 2000;
  static final int PACED_WORK_TOKENS = 4000;
  static final String NAME = "/orders/{id}";
  static final String DBC = "jdbc:postgresql://db:5432/shop";
  static final String SQL = "select id, total from orders where customer_id = ?";
  static final String URL = "http://inventory:8080/items";
  static final String METHOD = "com.example.OrderService.load";

  /** The agent and the UDP sink, one per trial (each benchmark runs in its own fork). */
  @State(Scope.Benchmark)
  public static class AgentState {
    LoopbackSink sink;
    BenchAgent bench;
    Tracer tracer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      sink = new LoopbackSink(8 * 1024 * 1024);
      bench = BenchAgent.start(sink.port());
      tracer = bench.agent.tracer;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      bench.awaitDrained(5000);
      UdpSender s = bench.agent.sender;
      long queued = s.transactionsQueued();
      long dropped = s.transactionsDropped.sum();
      bench.close();
      // One line per trial so that a reader sees whether the sender kept up while measured.
      System.out.println("sender: queued=" + queued + " dropped(queue full)=" + dropped
          + " (" + percent(dropped, queued + dropped) + ") framesSent=" + s.framesSent.sum()
          + " datagrams=" + s.datagramsSent.sum() + " | sink: datagrams=" + sink.datagrams()
          + " frames=" + sink.frames() + " txEnds=" + sink.txEnds());
      sink.close();
    }
  }

  /**
   * The same agent after our local agent's stats-mode offer (held for the whole trial): the sender
   * adds each transaction to its statistics and sends in full only the quiet-second allowance and
   * the per-name samples; the request thread no longer updates the meters.
   */
  @State(Scope.Benchmark)
  public static class StatsAgentState {
    LoopbackSink sink;
    BenchAgent bench;
    Tracer tracer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
      sink = new LoopbackSink(8 * 1024 * 1024);
      bench = BenchAgent.start(sink.port());
      bench.agent.sender.acceptStatsOffer(TimeUnit.HOURS.toNanos(1));
      tracer = bench.agent.tracer;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      bench.awaitDrained(5000);
      UdpSender s = bench.agent.sender;
      long queued = s.transactionsQueued();
      long dropped = s.transactionsDropped.sum();
      bench.close();
      System.out.println("sender (stats mode): queued=" + queued + " dropped(queue full)=" + dropped
          + " aggregated=" + s.transactionsAggregated.sum() + " sentFull=" + s.transactionsSentFull.sum()
          + " framesSent=" + s.framesSent.sum() + " datagrams=" + s.datagramsSent.sum() + " | sink: datagrams="
          + sink.datagrams() + " frames=" + sink.frames() + " txEnds=" + sink.txEnds());
      sink.close();
    }
  }

  /** {@link Drained} for the stats-mode agent. */
  @State(Scope.Thread)
  public static class StatsDrained {
    @Setup(Level.Invocation)
    public void drain(StatsAgentState agent) {
      agent.bench.awaitDrained(5000);
    }
  }

  /** Lets the sender catch up before each invocation of a batched benchmark (not timed). */
  @State(Scope.Thread)
  public static class Drained {
    @Setup(Level.Invocation)
    public void drain(AgentState agent) {
      agent.bench.awaitDrained(5000);
    }
  }

  static String percent(long part, long whole) {
    return whole == 0 ? "0%" : Math.round(1000.0 * part / whole) / 10.0 + "%";
  }

  /**
   * The headline: {@value #BATCH} transactions back to back per invocation with the sender's
   * queue drained before each invocation, so none is dropped and every one is encoded and
   * sent while the next ones are recorded.
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void whatap(AgentState agent, Drained drained) {
    Tracer tracer = agent.tracer;
    for (int i = 0; i < BATCH; i++) {
      oneTransaction(tracer);
    }
  }

  /** {@link #whatap} in stats mode: what the request thread pays once our local agent offered it. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void whatapStats(StatsAgentState agent, StatsDrained drained) {
    Tracer tracer = agent.tracer;
    for (int i = 0; i < BATCH; i++) {
      oneTransaction(tracer);
    }
  }

  /** The same calls against no agent ({@code Transaction.NOOP}): the clock read and the loop. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void baselineNoop() {
    for (int i = 0; i < BATCH; i++) {
      noopTransaction();
    }
  }

  /** The same fields recorded into a plain object: the least any recorder does. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void baselinePlainObject(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      bh.consume(plainTransaction());
    }
  }

  /**
   * Transactions with no pause and no drain: the request thread outruns the sender, the queue
   * fills and the excess is dropped and counted (the tear-down line says how much). Shows that
   * a saturated sender never blocks the caller; it is not the cost of a transaction sent.
   */
  @Benchmark
  public void whatapSaturated(AgentState agent) {
    oneTransaction(agent.tracer);
  }

  /**
   * One transaction after {@value #PACED_WORK_TOKENS} tokens of application work, so the
   * sender has gone idle and parked before the transaction ends and the end has to wake it.
   * Compare with {@link #baselinePaced}: the difference is the cost of a transaction at a low
   * or moderate request rate.
   */
  @Benchmark
  public void whatapPaced(AgentState agent) {
    Blackhole.consumeCPU(PACED_WORK_TOKENS);
    oneTransaction(agent.tracer);
  }

  @Benchmark
  public PlainTransaction baselinePaced() {
    Blackhole.consumeCPU(PACED_WORK_TOKENS);
    return plainTransaction();
  }

  private static void oneTransaction(Tracer tracer) {
    TraceContext ctx = tracer.start(NAME);
    long now = System.currentTimeMillis();
    ctx.sql(DBC, SQL, now, 1, 3);
    ctx.httpCall(URL, now, 2, 200);
    ctx.method(METHOD, now, 0);
    tracer.end(ctx, 200, null);
  }

  private static void noopTransaction() {
    Transaction tx = Transaction.NOOP;
    long now = System.currentTimeMillis();
    tx.sql(DBC, SQL, now, 1, 3);
    tx.httpCall(URL, now, 2, 200);
    tx.method(METHOD, now, 0);
    tx.status(200);
    tx.end();
  }

  private static PlainTransaction plainTransaction() {
    PlainTransaction tx = new PlainTransaction(NAME);
    long now = System.currentTimeMillis();
    tx.step(4, DBC, SQL, now, 1, 3);
    tx.step(7, URL, null, now, 2, 200);
    tx.step(12, METHOD, null, now, 0, 0);
    tx.end(200);
    return tx;
  }

  /** The least a recorder keeps: the same fields, no ids, no concurrency, no sending. */
  public static final class PlainTransaction {
    final String name;
    final long startNanos = System.nanoTime();
    final PlainStep[] steps = new PlainStep[3];
    int count;
    int status;
    long elapsedNanos;

    PlainTransaction(String name) {
      this.name = name;
    }

    void step(int type, String a, String b, long time, int elapsed, long n) {
      if (count < steps.length) {
        steps[count++] = new PlainStep(type, a, b, time, elapsed, n);
      }
    }

    void end(int httpStatus) {
      status = httpStatus;
      elapsedNanos = System.nanoTime() - startNanos;
    }
  }

  static final class PlainStep {
    final int type;
    final String a;
    final String b;
    final long time;
    final int elapsed;
    final long n;

    PlainStep(int type, String a, String b, long time, int elapsed, long n) {
      this.type = type;
      this.a = a;
      this.b = b;
      this.time = time;
      this.elapsed = elapsed;
      this.n = n;
    }
  }
}
