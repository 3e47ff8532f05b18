package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow clients against the local agent process: with agent_http_request_timeout_sec=2 and the idle
 * timeout at 30 s, a client trickling a request's header bytes (each well within the idle timeout,
 * which every byte restarts) is cut after the request deadline and counted; a kept-alive client
 * that sends whole requests is served for longer than the deadline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlowClientTest {
  private static final int REQUEST_TIMEOUT_SEC = 2;
  /** The pause between two trickled bytes, each read attempt's timeout: far below the idle timeout. */
  private static final int TRICKLE_MS = 250;
  /** The pause between two whole requests on a kept-alive connection. */
  private static final int KEEP_ALIVE_PAUSE_MS = 400;

  @TempDir
  static Path home;
  private ForkedAgent agent;

  @BeforeAll
  void start() throws IOException {
    agent = ForkedAgent.start(home, 128, 0, Map.of("agent_http_request_timeout_sec", String.valueOf(REQUEST_TIMEOUT_SEC),
        "agent_http_idle_timeout_sec", "30"));
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  @Test
  void aClientTricklingHeaderBytesIsCutAtTheRequestDeadlineAndCounted() throws IOException {
    long timeoutsBefore = metric("whatap_agent_http_request_timeouts_total");
    byte[] head = ("GET /api/agent HTTP/1.1\r\nHost: 127.0.0.1:" + agent.httpPort + "\r\nX-Slow: ")
        .getBytes(StandardCharsets.ISO_8859_1);
    int sent = 0;
    long opened;
    long closedAfterMs = -1;
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", agent.httpPort), 10_000);
      opened = System.nanoTime();
      s.setSoTimeout(TRICKLE_MS);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      // one byte, then a read that waits TRICKLE_MS for the agent's end of the connection: the
      // read's timeout paces the trickle; at most 30 s (the idle timeout would never fire)
      while ((System.nanoTime() - opened) / 1_000_000 < 30_000) {
        try {
          out.write(sent < head.length ? head[sent] : 'x');
          out.flush();
          sent++;
          int b = in.read();
          assertThat(b).as("the agent answers nothing to a request it has not had whole").isEqualTo(-1);
        } catch (SocketTimeoutException stillOpen) {
          continue;
        } catch (SocketException closed) {
          // reset (or a write after the close): closed as well
        }
        closedAfterMs = (System.nanoTime() - opened) / 1_000_000;
        break;
      }
    }
    assertThat(closedAfterMs).as("the agent closed the trickling connection (%d bytes sent)", sent).isPositive();
    assertThat(closedAfterMs).as("closed at the request deadline, not earlier")
        .isGreaterThanOrEqualTo(REQUEST_TIMEOUT_SEC * 1000L - 100).isLessThan(15_000);
    assertThat(sent).as("bytes trickled before the cut").isGreaterThan(3);
    assertThat(metric("whatap_agent_http_request_timeouts_total") - timeoutsBefore).isGreaterThanOrEqualTo(1);
    assertThat(agent.alive()).isTrue();
  }

  /**
   * Requests a pause apart on one connection, for twice the deadline: each answer restarts it. The
   * pause is well below the deadline, so a loaded machine's late timer or late read cannot close it.
   */
  @Test
  void aKeptAliveClientSendingWholeRequestsIsServedBeyondTheDeadline() throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", agent.httpPort), 10_000);
      long opened = System.nanoTime();
      int served = 0;
      while ((System.nanoTime() - opened) / 1_000_000 < REQUEST_TIMEOUT_SEC * 2_000L) {
        s.setSoTimeout(20_000);
        assertThat(agent.keepAliveGet(s, "/api/agent")).isEqualTo(200);
        served++;
        s.setSoTimeout(KEEP_ALIVE_PAUSE_MS);
        try {
          int b = s.getInputStream().read();
          throw new AssertionError("the agent sent " + b + " or closed the connection between requests");
        } catch (SocketTimeoutException stillOpen) {
          // a pause without a request, under the deadline: the connection stays
        }
      }
      assertThat(served).as("requests served on one connection for twice the deadline").isGreaterThanOrEqualTo(3);
    }
  }


  private long metric(String name) throws IOException {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(agent.get("/metrics").body());
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return (long) Double.parseDouble(m.group(1));
  }
}
