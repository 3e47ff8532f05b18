package io.whatap.runtime;

import io.whatap.util.AgentLog;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.BatchProfiling;
import io.whatap.MethodProfiling;
import io.whatap.Whatap;
import io.whatap.config.Config;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMethodPack;
import io.whatap.wire.TxSqlPack;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch jobs: {@code Whatap.batch} and {@code @BatchProfiling} send one transaction per run to the
 * batch agent (here a UDP receiver; the JVM's batch home is -Dwhatap.batch.home from the build).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchProfilingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private UdpTestReceiver batchReceiver;

  public interface ImportJob {
    @BatchProfiling("import-job")
    int importRows(int rows) throws IOException;
  }

  public interface Repo {
    @MethodProfiling("repo.save")
    void save(int row);
  }

  @BeforeAll
  void start() {
    batchReceiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(batchReceiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    BatchAgent.get().agent().configure(options);
  }

  @AfterAll
  void stop() {
    batchReceiver.close();
  }

  @BeforeEach
  void clear() {
    batchReceiver.clear();
  }

  @Test
  void aJobRunTwiceGivesTwoTransactionsWithTheirSteps() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    for (int i = 1; i <= 2; i++) {
      int run = i;
      Integer result = Whatap.batch("nightly-report", () -> {
        runs.incrementAndGet();
        Whatap.currentTransaction().sql("jdbc:batch", "select " + run, System.currentTimeMillis(), 2, 10);
        Whatap.profile("render", () -> null);
        return run * 10;
      });
      assertThat(result).isEqualTo(run * 10);
    }
    assertThat(runs).hasValue(2);
    List<ReceivedTx> done = batchReceiver.awaitCompleted(2, WAIT);
    assertThat(done).hasSize(2).extracting(ReceivedTx::uri).containsOnly("nightly-report");
    assertThat(done.get(0).txid()).isNotEqualTo(done.get(1).txid());
    for (ReceivedTx tx : done) {
      assertThat(tx.steps(TxSqlPack.class)).singleElement().satisfies(s -> assertThat(s.dbc()).isEqualTo("jdbc:batch"));
      assertThat(tx.steps(TxMethodPack.class)).extracting(TxMethodPack::method).containsExactly("render");
      assertThat(tx.steps(TxErrorPack.class)).isEmpty();
      assertThat(tx.elapsedMs()).isBetween(0L, 10_000L);
    }
    assertThat(Whatap.currentTransaction()).isSameAs(io.whatap.Transaction.NOOP);
  }

  @Test
  void aJobRunsExactlyOnceWhateverItReturns() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    assertThat(Whatap.<Object>batch("returns-null", () -> {
      runs.incrementAndGet();
      return null;
    })).isNull();
    Whatap.batch("runnable-job", (Runnable) runs::incrementAndGet);
    assertThat(runs).hasValue(2);
    batchReceiver.awaitTransaction("returns-null", WAIT);
    batchReceiver.awaitTransaction("runnable-job", WAIT);
  }

  @Test
  void anExceptionIsRecordedAndRethrownUnchanged() {
    AtomicInteger runs = new AtomicInteger();
    IOException failure = new IOException("input file missing");
    assertThatThrownBy(() -> Whatap.batch("failing-job", () -> {
      runs.incrementAndGet();
      throw failure;
    })).isSameAs(failure);
    IllegalStateException unchecked = new IllegalStateException("bad row");
    assertThatThrownBy(() -> Whatap.batch("failing-runnable", (Runnable) () -> {
      runs.incrementAndGet();
      throw unchecked;
    })).isSameAs(unchecked);
    assertThat(runs).hasValue(2);
    assertThat(batchReceiver.awaitTransaction("failing-job", WAIT).steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> {
          assertThat(e.errorClass()).isEqualTo("java.io.IOException");
          assertThat(e.message()).isEqualTo("input file missing");
        });
    assertThat(batchReceiver.awaitTransaction("failing-runnable", WAIT).steps(TxErrorPack.class))
        .extracting(TxErrorPack::errorClass).containsExactly("java.lang.IllegalStateException");
  }

  @Test
  void batchProfilingThroughAProxyWithMethodStepsInside() throws Exception {
    Repo repo = Whatap.profile(row -> { }, Repo.class);
    AtomicInteger runs = new AtomicInteger();
    ImportJob job = Whatap.profile(rows -> {
      runs.incrementAndGet();
      for (int r = 0; r < rows; r++) {
        repo.save(r);
      }
      return rows;
    }, ImportJob.class);
    assertThat(job.importRows(3)).isEqualTo(3);
    assertThat(runs).hasValue(1);
    ReceivedTx tx = batchReceiver.awaitTransaction("import-job", WAIT);
    assertThat(tx.steps(TxMethodPack.class)).extracting(TxMethodPack::method)
        .containsExactly("repo.save", "repo.save", "repo.save");
  }

  @Test
  void withoutABatchAgentTheJobRunsAndTheLogSaysOnceHowToStartIt(@TempDir Path home) throws Exception {
    int port;
    try (DatagramSocket free = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      port = free.getLocalPort();
    }
    Files.writeString(home.resolve("whatap.conf"), "net_udp_host=127.0.0.1\nnet_udp_port=" + port + "\n");
    BatchAgent absent = BatchAgent.start(home, Map.of(), new Properties());
    try {
      assertThat(absent.start("job-1")).isNotNull();
      assertThat(absent.start("job-2")).isNotNull();
    } finally {
      absent.close();
    }
    AgentLog.get().flush(5000);
    String log = Files.readString(AgentLog.get().file(), StandardCharsets.UTF_8);
    String warning = "no batch agent listens on 127.0.0.1:" + port;
    assertThat(log.split(java.util.regex.Pattern.quote(warning), -1)).as("said once").hasSize(2);
    assertThat(log).contains("bin/whatap-start-batch");
  }

  @Test
  void aListeningBatchAgentIsNotReportedAbsent() {
    assertThat(BatchAgent.nobodyListens("127.0.0.1", batchReceiver.port())).isFalse();
  }

  @Test
  void theBatchConfigurationHasItsOwnDefaultsAndOverrides(@TempDir Path home) throws IOException {
    Config defaults = BatchAgent.loader(home, Map.of(), new Properties()).current();
    assertThat(defaults.appName).isEqualTo("batch");
    assertThat(defaults.appProcessName).isEqualTo("batch");
    assertThat(defaults.netUdpPort).isEqualTo(6601);

    Files.writeString(home.resolve("whatap.conf"), "net_udp_port=7001\napp_name=nightly\nlicense=abc\n");
    Properties sys = new Properties();
    sys.setProperty("whatap.batch.app_process_name", "etl");
    sys.setProperty("whatap.net_udp_port", "6600"); // the application's: not the batch agent's
    Config c = BatchAgent.loader(home, Map.of("WHATAP_BATCH_NET_UDP_PORT", "7002", "WHATAP_APP_NAME", "web"), sys)
        .current();
    assertThat(c.netUdpPort).isEqualTo(7002);
    assertThat(c.appName).isEqualTo("nightly");
    assertThat(c.appProcessName).isEqualTo("etl");
    assertThat(c.license).isEqualTo("abc");
  }

  @Test
  void theBatchHomeComesFromEitherName() {
    Properties none = new Properties();
    assertThat(BatchAgent.home(Map.of("WHATAP_BATCH_HOME", "/opt/batch"), none)).isEqualTo(Path.of("/opt/batch"));
    assertThat(BatchAgent.home(Map.of("WHATAP_HOME_BATCH", "/srv/b"), none)).isEqualTo(Path.of("/srv/b"));
    Properties sys = new Properties();
    sys.setProperty("whatap.batch.home", "/x");
    assertThat(BatchAgent.home(Map.of("WHATAP_BATCH_HOME", "/opt/batch"), sys)).isEqualTo(Path.of("/x"));
    assertThat(BatchAgent.home(Map.of(), none)).isNull();
  }
}
