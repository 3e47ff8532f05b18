package io.whatap.runtime;

import io.whatap.util.AgentLog;
import static io.whatap.runtime.SenderIntegrationTest.agent;
import static io.whatap.runtime.SenderIntegrationTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.trace.TraceContext;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultTest {
  @TempDir Path home;

  static int closedPort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

  @Test
  void nothingListeningNeverReachesTheApplication() throws Exception {
    try (UdpTestReceiver unused = new UdpTestReceiver()) {
      Agent agent = agent(home, unused, "net_udp_port", String.valueOf(closedPort()));
      try {
        for (int i = 0; i < 2000; i++) {
          TraceContext ctx = agent.tracer.start("/nobody-home");
          ctx.method("m", 0, 0);
          agent.tracer.end(ctx, 200, null);
        }
        assertThat(agent.sender.transactionsQueued() + agent.sender.transactionsDropped.sum()).isEqualTo(2000);
        // every frame encoded is either sent or counted as dropped, once the sender has flushed
        awaitTrue(() -> agent.sender.framesSent.sum() + agent.sender.framesDropped.sum()
            == agent.sender.transactionsQueued() * 3, Duration.ofSeconds(10));
        assertThat(agent.meters.transactionsTotal()).isEqualTo(2000);
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void anUnusableLogDirFallsBackToTheDefaultInsteadOfStoppingTheAgent() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver, "log_dir", "logs\0here");
      try {
        agent.tracer.end(agent.tracer.start("/still-traced"), 200, null);
        receiver.awaitTransaction("/still-traced", Duration.ofSeconds(5));
        Path log = home.resolve("logs").resolve("whatap-agent.log");
        assertThat(AgentLog.get().file()).isEqualTo(log);
        AgentLog.get().flush(5000);
        assertThat(Files.readString(log)).contains("log_dir=logs").contains("using the default " + home.resolve("logs"));
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void aLogDirThatIsARegularFileFallsBackToWhatapHomeLogsWithAWarning() throws Exception {
    Path notADir = Files.writeString(home.resolve("log-dir-is-a-file"), "x");
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver, "log_dir", notADir.toString());
      try {
        agent.tracer.end(agent.tracer.start("/still-traced"), 200, null);
        receiver.awaitTransaction("/still-traced", Duration.ofSeconds(5));
        Path log = home.resolve("logs").resolve("whatap-agent.log");
        assertThat(AgentLog.get().file()).isEqualTo(log);
        AgentLog.get().flush(5000);
        assertThat(Files.readString(log)).contains("the agent log cannot be written to " + notADir
            + " (" + notADir + " is a file, not a directory); logging to " + home.resolve("logs") + " instead");
        assertThat(Files.readString(notADir)).isEqualTo("x");
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void theReceiverClosingMidwayIsSurvivedAndALaterOneIsServed() throws Exception {
    UdpTestReceiver first = new UdpTestReceiver();
    Agent agent = agent(home, first);
    try {
      agent.tracer.end(agent.tracer.start("/before"), 200, null);
      first.awaitTransaction("/before", Duration.ofSeconds(5));
      first.close();
      for (int i = 0; i < 500; i++) {
        agent.tracer.end(agent.tracer.start("/while-closed"), 200, null);
      }
      awaitTrue(() -> agent.sender.queueSize() == 0, Duration.ofSeconds(10));
      try (UdpTestReceiver second = new UdpTestReceiver()) {
        agent.configure(second.agentOptions());
        agent.tracer.end(agent.tracer.start("/after"), 200, null);
        second.awaitTransaction("/after", Duration.ofSeconds(10));
      }
    } finally {
      agent.close();
    }
  }

  @Test
  void aTinyQueueOverflowsWithoutBlockingAndCountsExactlyWhatWasLost() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver(8 * 1024 * 1024)) {
      Agent agent = agent(home, receiver, "net_send_queue_size", "16");
      try {
        int total = 20_000;
        for (int i = 0; i < total; i++) {
          TraceContext ctx = agent.tracer.start("/flood");
          ctx.message("m", "v", "d");
          agent.tracer.end(ctx, 200, null);
        }
        long dropped = agent.sender.transactionsDropped.sum();
        assertThat(dropped).as("a queue of 16 cannot take a burst of 20,000").isPositive(); // had offer() waited for room, nothing would have been dropped
        awaitTrue(() -> agent.sender.queueSize() == 0, Duration.ofSeconds(10));
        long expected = total - dropped;
        receiver.awaitCompleted((int) expected, Duration.ofSeconds(10));
        // nothing else arrives: what was not received is exactly what was counted as dropped
        awaitTrue(() -> agent.sender.datagramsSent.sum() == receiver.datagrams(), Duration.ofSeconds(5));
        assertThat(receiver.completed()).hasSize((int) expected);
        assertThat(agent.sender.transactionsQueued()).isEqualTo(expected);
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void anExceptionInTheUsersCallableIsRecordedAndRethrownUnchanged() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Whatap.configure(Map.of("net_udp_host", "127.0.0.1", "net_udp_port", String.valueOf(receiver.port())));
      IllegalStateException boom = new IllegalStateException("user failure");
      assertThatThrownBy(() -> Whatap.transaction("job-that-fails", () -> {
        throw boom;
      })).isSameAs(boom);
      UdpTestReceiver.ReceivedTx tx = receiver.awaitTransaction("job-that-fails", Duration.ofSeconds(5));
      assertThat(tx.steps(io.whatap.wire.TxErrorPack.class)).singleElement()
          .satisfies(e -> assertThat(e.message()).isEqualTo("user failure"));
      assertThat(Whatap.currentTransaction()).isSameAs(Transaction.NOOP);
      assertThat(Whatap.transaction("job-that-works", () -> 42)).isEqualTo(42);
    }
  }
}
