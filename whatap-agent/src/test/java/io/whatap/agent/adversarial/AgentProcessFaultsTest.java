package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.whatap.agent.Frames;
import io.whatap.wire.PackEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local agent process when something is wrong around it: an Error in a thread, a bad line in whatap.conf. */
class AgentProcessFaultsTest {

  /**
   * An Error in the UDP receiver (after an OutOfMemoryError the receiver, the timer and the HTTP
   * acceptor used to die and leave a process that showed nothing) ends the process with status 4
   * and a message saying where and why, for the start script or systemd to start a fresh one. The
   * Error provoked on demand: the class of one pack type is missing from the agent's class path,
   * so the receiver's first such datagram throws NoClassDefFoundError (a LinkageError: the JVM
   * would throw it at that call site for good).
   */
  @Test
  void anErrorInTheUdpReceiverEndsTheProcessWithStatus4AndSaysWhy(@TempDir Path home) throws Exception {
    try (ForkedAgent agent = ForkedAgent.start(home, 128, 0, Map.of(), Set.of("io/whatap/wire/DbConnPoolPack.class"));
        DatagramChannel udp = DatagramChannel.open()) {
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", agent.udpPort);
      byte[] tx = Frames.transaction(19_001, 4242, System.currentTimeMillis(), 3, "/before/the/error", false);
      ForkedAgent.awaitTrue("a transaction shows before the Error", Duration.ofSeconds(30), () -> {
        try {
          udp.send(ByteBuffer.wrap(tx), to);
          return agent.get("/api/transactions/19001").status() == 200;
        } catch (IOException e) {
          return false;
        }
      });
      byte[] pool = Frames.of(w -> PackEncoder.dbConnPool(w, "pool=main active=1 idle=4"));
      // resent until the process ends: UDP may drop a datagram
      ForkedAgent.awaitTrue("the agent process ends", Duration.ofSeconds(30), () -> {
        try {
          udp.send(ByteBuffer.wrap(pool), to);
          return agent.process.waitFor(200, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
          return false;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      });
      assertThat(agent.process.exitValue()).as(agent.log()).isEqualTo(4);
      ForkedAgent.awaitTrue("the agent's last words are read", Duration.ofSeconds(10),
          () -> agent.log().contains("exits with status 4"));
      assertThat(agent.log()).contains("whatap-agent: FATAL: java.lang.NoClassDefFoundError")
          .contains("in the UDP receiver (thread whatap-agent-udp)").contains("exits with status 4");
    }
  }

  /**
   * One malformed escape in whatap.conf used to discard the whole file, so the agent's options
   * reverted to their defaults at start; the bad line is skipped with its number and reason, the
   * others are kept.
   */
  @Test
  void aBadLineInWhatapConfIsSkippedWithItsNumberAndTheRestOfTheFileIsKept(@TempDir Path home) throws Exception {
    Files.writeString(home.resolve("whatap.conf"), "agent_recent_max=123\n"
        + "agent_http_allowed_hosts=dashboard.example\n"
        + "license=lic-s3cret\\u12G4\n"
        + "agent_slow_ms=4321\n", StandardCharsets.ISO_8859_1);
    try (ForkedAgent agent = ForkedAgent.start(home, 128, 0, Map.of())) {
      ForkedAgent.Response r = agent.get("/api/agent");
      assertThat(r.status()).isEqualTo(200);
      JsonObject settings = new JsonObject(r.body()).getJsonObject("settings");
      assertThat(settings.getInteger("recentMax")).as("the line before the bad one").isEqualTo(123);
      assertThat(settings.getInteger("slowMs")).as("the line after the bad one").isEqualTo(4321);
      assertThat(agent.get("/api/agent", "dashboard.example:" + agent.httpPort, Duration.ofSeconds(20)).status())
          .as("agent_http_allowed_hosts from the file").isEqualTo(200);
      // on the agent's console (its log under bin/whatap-start-agent), with the file, the line and why
      assertThat(agent.log()).contains("whatap-agent: config: " + home.resolve("whatap.conf")
          + " line 3: a malformed \\uXXXX escape").contains("line skipped (the rest of the file is kept)")
          .doesNotContain("lic-s3cret");
    }
  }

  /**
   * Memory bounds whose worst case cannot fit in the heap: the agent refuses to start (status 2)
   * and lists the parts, instead of running until the first flood takes the heap.
   */
  @Test
  void boundsThatCannotFitTheHeapAreRefusedAtStartWithStatus2(@TempDir Path home) {
    assertThatThrownBy(() -> ForkedAgent.start(home, 48, 0, Map.of()).close())
        .hasMessageContaining("exited with 2").hasMessageContaining("whatap-agent: refused to start")
        .hasMessageContaining("more than the heap").hasMessageContaining("agent_pending_memory_mb")
        .hasMessageContaining("lower these options or raise -Xmx");
  }
}
