package io.whatap.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What is queued when the JVM exits still reaches the local agent. */
class ShutdownFlushTest {
  @TempDir Path home;

  /** The child JVM: ends transactions as fast as it can, then returns from main at once. */
  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    for (int i = 0; i < n; i++) {
      Whatap.transaction("/exit-" + i, () -> Whatap.message("m", "v", "d"));
    }
  }

  @Test
  void queuedTransactionsAreSentWhenTheJvmExits() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver(8 * 1024 * 1024)) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      int n = 3000;
      Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
          "-Dwhatap.home=" + home, "-Dwhatap.net_udp_port=" + receiver.port(), "-Dwhatap.banner_enabled=false",
          "-Dwhatap.net_send_queue_size=65536", ShutdownFlushTest.class.getName(), String.valueOf(n)))
          .redirectErrorStream(true).redirectOutput(new File(home.toFile(), "child.out")).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
      try {
        assertThat(receiver.awaitCompleted(n, Duration.ofSeconds(10))).hasSize(n);
      } catch (AssertionError e) {
        // say what the child saw: its agent log holds send errors, drops and the shutdown
        Path log = home.resolve("logs").resolve("whatap-agent.log");
        throw new AssertionError(e.getMessage() + "; received " + receiver.datagrams() + " datagrams; child agent log:\n"
            + (Files.exists(log) ? Files.readString(log) : "(none)"), e);
      }
    }
  }
}
