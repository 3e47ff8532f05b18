package io.whatap.runtime;

import io.whatap.util.AgentLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.ConfigLoader;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.wire.StartEndOffer;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * net_agent_silent_warn_ms over real sockets on loopback, with the agent's own timer and counter
 * packs (every 500 ms) as the traffic: a port with nobody bound to it (ICMP port-unreachable) is
 * silence, warned once with the address; a socket bound there, even one that never writes back,
 * takes the datagrams, which is an answer, said once; a back-channel datagram is an answer too.
 */
class LocalAgentWatchTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path home;

  private Agent agent(int port, int warnMs) {
    ConfigLoader loader = new ConfigLoader(home, Map.of(), new Properties());
    loader.override(Map.of("net_udp_host", "127.0.0.1", "net_udp_port", String.valueOf(port),
        "net_agent_silent_warn_ms", String.valueOf(warnMs), "banner_enabled", "false",
        "counter_interval_ms", "500", "log_dir", home.resolve("logs").toString()));
    return Agent.startStandalone(loader);
  }

  /** A loopback UDP port that nobody is bound to now. */
  private static int deadPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

  private List<String> awaitLogLines(Predicate<String> match, int count) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      AgentLog.get().flush(1000);
      Path f = home.resolve("logs").resolve("whatap-agent.log");
      List<String> lines = Files.exists(f) ? Files.readAllLines(f).stream().filter(match).toList() : List.of();
      if (lines.size() >= count || System.nanoTime() - deadline > 0) {
        return lines;
      }
      LockSupport.parkNanos(10_000_000L); // poll interval

    }
  }

  @Test
  void aStoppedAgentIsReportedOnceAndItsReturnOnce() throws Exception {
    int port = deadPort();
    Agent agent = agent(port, 1500);
    try {
      String address = "127.0.0.1:" + port;
      List<String> warnings = awaitLogLines(l -> l.contains("WARNING") && l.contains("has not answered"), 1);
      assertThat(warnings).singleElement().asString().contains("the local agent at " + address)
          .contains("net_agent_silent_warn_ms=1500").contains("ICMP port unreachable");
      assertThat(agent.watch.reportedSilent()).isTrue();

      try (DatagramSocket mute = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        List<String> back = awaitLogLines(l -> l.contains("INFO") && l.contains("answers again"), 1);
        assertThat(back).singleElement().asString().contains("the local agent at " + address);
        assertThat(agent.watch.reportedSilent()).isFalse();
        assertThat(awaitLogLines(l -> l.contains("has not answered"), 1)).as("said once").hasSize(1);
      }
    } finally {
      agent.close();
    }
  }

  @Test
  void aBackChannelDatagramFromTheAgentIsAnAnswer() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(receiver.port(), 60_000);
      try {
        // the back channel reads the sender's socket: make it exist and known to the receiver
        agent.tracer.end(agent.tracer.start("/hello"), 200, null);
        assertThat(receiver.awaitTransaction("/hello", WAIT)).isNotNull();
        LocalAgentWatch watch = agent.watch;
        long heardBefore = watch.heardNanos();
        receiver.sendText(StartEndOffer.PARAM_ID + ",1," + StartEndOffer.EXTRA, receiver.lastSender());
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (watch.heardNanos() == heardBefore && System.nanoTime() - deadline < 0) {
          LockSupport.parkNanos(1_000_000L); // poll interval
        }
        assertThat(watch.heardNanos()).as("the back channel told the watch").isNotEqualTo(heardBefore);
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void theCheckPeriodIsAQuarterOfTheWindowWithinBounds() {
    assertThat(LocalAgentWatch.checkPeriodMs(0)).as("off").isZero();
    assertThat(LocalAgentWatch.checkPeriodMs(60_000)).isEqualTo(5000);
    assertThat(LocalAgentWatch.checkPeriodMs(8000)).isEqualTo(2000);
    assertThat(LocalAgentWatch.checkPeriodMs(10)).isEqualTo(20);
  }
}
