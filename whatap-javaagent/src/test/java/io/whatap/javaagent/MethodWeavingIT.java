package io.whatap.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMethodPack;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs com.acme.WovenMain in a child JVM with {@code -javaagent:target/whatap-javaagent.jar} (the
 * packaged, shaded jar) and reads what it sent from real UDP receivers: one for the application's
 * agent, one for the batch agent.
 */
class MethodWeavingIT {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void wovenMethodsAreRecordedAsStepsTransactionsAndBatchRuns() throws Exception {
    Path work = Files.createDirectories(Path.of(System.getProperty("javaagent.work"), "method-weaving"));
    Path home = Files.createDirectories(work.resolve("home"));
    Path batchHome = Files.createDirectories(work.resolve("batch-home"));
    Path out = work.resolve("child.out");
    try (UdpTestReceiver app = new UdpTestReceiver(); UdpTestReceiver batch = new UdpTestReceiver()) {
      Process child = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-javaagent:" + System.getProperty("javaagent.jar"),
          "-Xshare:auto", "-XX:TieredStopAtLevel=1",
          "-Dwhatap.home=" + home,
          "-Dwhatap.net_udp_host=127.0.0.1",
          "-Dwhatap.net_udp_port=" + app.port(),
          "-Dwhatap.banner_enabled=false",
          "-Dwhatap.counter_interval_ms=600000",
          "-Dwhatap.hook_method_patterns=com.acme.Service.handle,com.acme.Repo.*",
          "-Dwhatap.batch.home=" + batchHome,
          "-Dwhatap.batch.net_udp_port=" + batch.port(),
          "-Dwhatap.batch.banner_enabled=false",
          "-Dwhatap.batch.counter_interval_ms=600000",
          "-cp", System.getProperty("javaagent.test.classes"),
          "com.acme.WovenMain"))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      boolean exited = child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        child.destroyForcibly();
      }
      String output = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(exited).as("the child ended: " + output).isTrue();
      assertThat(child.exitValue()).as(output + agentLog(home)).isZero();
      assertThat(output).contains("woven-main done");

      ReceivedTx outer = app.awaitTransaction("woven-outer", WAIT);
      assertThat(outer.steps(TxMethodPack.class)).extracting(TxMethodPack::method).containsExactly(
          "com.acme.Service.handle", "com.acme.Repo.find", "com.acme.Repo.save", "com.acme.Repo.count",
          "annotated.work", "com.acme.Annotated.fail");
      assertThat(outer.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
        assertThat(e.errorClass()).isEqualTo("java.io.IOException");
        assertThat(e.message()).isEqualTo("woven failure");
      });

      ReceivedTx alone = app.awaitTransaction("annotated.work", WAIT);
      assertThat(alone.steps(TxMethodPack.class)).as("outside a transaction the call is the transaction").isEmpty();

      List<ReceivedTx> runs = batch.awaitCompleted(2, WAIT);
      assertThat(runs).hasSize(2).extracting(ReceivedTx::uri).containsOnly("nightly-job");
      for (ReceivedTx run : runs) {
        assertThat(run.steps(TxMethodPack.class)).extracting(TxMethodPack::method)
            .containsExactly("com.acme.Repo.save");
      }
      assertThat(app.completed()).extracting(ReceivedTx::uri).doesNotContain("nightly-job");
    }
  }

  private static String agentLog(Path home) throws java.io.IOException {
    Path log = home.resolve("logs").resolve("whatap-agent.log");
    return Files.exists(log) ? File.separator + "agent log:\n" + Files.readString(log) : "";
  }
}
