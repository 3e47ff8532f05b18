package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * More connections to the dashboard than the agent process has file descriptors (ulimit -n 256 in
 * the forked process, connection limit above it so that the descriptors run out first): accepting
 * fails while they are open, the acceptor survives, and once they close the dashboard, the API and
 * /metrics answer again.
 */
class DescriptorExhaustionTest {
  private static final int OPEN_FILES = 256;

  @TempDir
  Path home;

  @Test
  void theHttpSideRecoversAfterDescriptorsRunOut() throws IOException {
    try (ForkedAgent agent = ForkedAgent.start(home, 128, OPEN_FILES,
        Map.of("agent_http_connections_max", "10000", "agent_active_poll_ms", "0",
            "agent_http_request_timeout_sec", "600"))) { // the held connections send nothing: none cut early
      assertThat(agent.get("/api/agent").status()).isEqualTo(200);
      List<Socket> held = new ArrayList<>();
      boolean backlogFull = false;
      try {
        // the kernel completes connections into the backlog until it is full, whether or not the agent
        // can accept them: a connect that times out means the agent stopped accepting
        for (int i = 0; i < OPEN_FILES + 400 && !agent.log().contains("Too many open files"); i++) {
          Socket s = new Socket();
          try {
            s.connect(new InetSocketAddress("127.0.0.1", agent.httpPort), 2_000);
          } catch (SocketTimeoutException e) {
            s.close();
            backlogFull = true;
            break;
          }
          held.add(s);
        }
        assertThat(backlogFull || agent.log().contains("Too many open files"))
            .as("the agent ran out of descriptors (%d connections held); its log:%n%s", held.size(), agent.log())
            .isTrue();
        assertThat(held.size()).isGreaterThan(OPEN_FILES - 100);
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
      assertThat(agent.alive()).as(agent.log()).isTrue();
      ForkedAgent.awaitTrue("the dashboard, the API and /metrics answer again", Duration.ofSeconds(30), () -> {
        try {
          return agent.get("/api/agent", "127.0.0.1:" + agent.httpPort, Duration.ofSeconds(5)).status() == 200
              && agent.get("/metrics", "127.0.0.1:" + agent.httpPort, Duration.ofSeconds(5)).status() == 200
              && agent.get("/", "127.0.0.1:" + agent.httpPort, Duration.ofSeconds(5)).status() == 200;
        } catch (IOException e) {
          return false;
        }
      });
      assertThat(agent.log()).doesNotContain("FATAL");
    }
  }
}
