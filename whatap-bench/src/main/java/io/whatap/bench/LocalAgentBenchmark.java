package io.whatap.bench;

import io.whatap.agent.AgentState;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.DecodeResult;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.TextMemo;
import io.whatap.wire.WireWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the local agent spends per transaction once a datagram is in memory: a full datagram of
 * what a busy hello-world app sends (TX_START + TX_END per transaction, or one Go-layout
 * TX_START_END once the agent has offered it, as the sender batches them) decoded alone, and decoded and applied by
 * {@link AgentState} (pending join, per-name aggregation, recent list, hit map). Per
 * transaction: each invocation handles {@link #PER_DATAGRAM}. The receive system call is not
 * here: one per ~220 transactions.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@State(Scope.Thread)
public class LocalAgentBenchmark {
  static final int PER_DATAGRAM = 220;

  /** Every request to one URI, or to 64 URIs in turn (a repeated field then misses the memo). */
  @Param({"one", "many"})
  public String uris;

  /** Whether repeated texts are decoded through a {@link TextMemo}, as the agent's receiver does. */
  @Param({"true", "false"})
  public boolean memo;

  /** TX_START + TX_END per transaction, or the one TX_START_END our sender uses after the agent's offer. */
  @Param({"startEnd", "frames"})
  public String layout;

  private TextMemo textMemo;
  private final InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40000);
  private byte[][] datagrams;
  private int next;
  private AgentState state;

  @Setup
  public void setUp() {
    datagrams = new byte[8][];
    long txid = 1;
    long now = System.currentTimeMillis();
    for (int d = 0; d < datagrams.length; d++) {
      WireWriter w = new WireWriter(64 * 1024);
      for (int i = 0; i < PER_DATAGRAM; i++, txid++) {
        if (layout.equals("startEnd")) {
          PackEncoder.txStartEndGo(w, txid, now, 1, 0, 0, 4242, 17, "127.0.0.1:40001", uri(txid), "127.0.0.1", "",
              "", "", "GET", 0, 0, 0, 0, "", "", "", 200, 0);
          continue;
        }
        PackEncoder.txStart(w, txid, now, 0, 0, 0, 4242, 17, "127.0.0.1:40001", uri(txid), "127.0.0.1", "", "",
            "", false, "GET");
        PackEncoder.txEnd(w, txid, now + 1, 0, 0, 0, 4242, 17, "127.0.0.1:40001", uri(txid), 0, 0, 0, 0, "", "", "",
            200, false, 0);
      }
      datagrams[d] = w.toByteArray();
    }
    textMemo = memo ? new TextMemo() : null;
    state = new AgentState(AgentSettings.of(Map.of()), System::currentTimeMillis);
  }

  private String uri(long txid) {
    return uris.equals("one") ? "/hello" : "/api/items/" + (txid % 64);
  }

  private byte[] nextDatagram() {
    byte[] d = datagrams[next];
    next = (next + 1) & (datagrams.length - 1);
    return d;
  }

  @Benchmark
  @OperationsPerInvocation(PER_DATAGRAM)
  public DecodeResult decode() {
    byte[] d = nextDatagram();
    return PackDecoder.decode(d, 0, d.length, textMemo);
  }

  @Benchmark
  @OperationsPerInvocation(PER_DATAGRAM)
  public AgentState decodeAndApply() {
    byte[] d = nextDatagram();
    state.accept(d, 0, d.length, from, textMemo);
    return state;
  }
}
