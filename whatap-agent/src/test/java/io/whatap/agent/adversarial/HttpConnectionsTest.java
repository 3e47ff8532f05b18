package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local agent's HTTP side against clients that hold connections: more connections than
 * agent_http_connections_max, against the agent as its own process.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpConnectionsTest {
  private static final int CONNECTIONS_MAX = 8;

  @TempDir
  static Path home;
  private ForkedAgent agent;

  @BeforeAll
  void start() throws IOException {
    // the held connections wait between their requests: no request deadline in this test (SlowClientTest's)
    agent = ForkedAgent.start(home, 128, 0, Map.of("agent_http_connections_max", String.valueOf(CONNECTIONS_MAX),
        "agent_http_request_timeout_sec", "600"));
  }

  @AfterAll
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  /**
   * With agent_http_connections_max connections open (each served a request, so the agent has
   * counted it), every further one is closed at once without an answer and counted; once the held
   * ones close, the dashboard, the API and /metrics answer again, and /metrics shows the count.
   */
  @Test
  void connectionsOverTheLimitAreClosedAtOnceAndCountedAndServiceReturnsWhenTheyClose() throws IOException {
    long refusedBefore = metric(agent.get("/metrics").body(), "whatap_agent_http_connections_refused_total");
    List<Socket> held = new ArrayList<>();
    int extra = 5;
    try {
      for (int i = 0; i < CONNECTIONS_MAX; i++) {
        Socket s = connect();
        held.add(s);
        assertThat(agent.keepAliveGet(s, "/api/agent")).as("held connection %d is served", i).isEqualTo(200);
      }
      for (int i = 0; i < extra; i++) {
        try (Socket s = connect()) {
          s.getOutputStream().write(("GET /api/agent HTTP/1.1\r\nHost: 127.0.0.1:" + agent.httpPort + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1));
          assertThat(readUntilClosed(s, Duration.ofSeconds(10)))
              .as("connection %d over the limit is closed by the agent without an answer", i).isEmpty();
        }
      }
      for (Socket s : held) {
        assertThat(agent.keepAliveGet(s, "/api/apps")).as("the connections within the limit are still served").isEqualTo(200);
      }
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
    ForkedAgent.awaitTrue("the dashboard, the API and /metrics answer again", Duration.ofSeconds(30), () -> {
      try {
        return agent.get("/").status() == 200 && agent.get("/api/agent").status() == 200
            && agent.get("/metrics").status() == 200;
      } catch (IOException e) {
        return false; // a connection of this poll met the limit while the held ones were still closing
      }
    });
    assertThat(metric(agent.get("/metrics").body(), "whatap_agent_http_connections_refused_total") - refusedBefore)
        .as("refused connections counted").isGreaterThanOrEqualTo(extra);
    ForkedAgent.awaitTrue("the open-connections gauge back to the one asking", Duration.ofSeconds(20),
        () -> {
          try {
            return metric(agent.get("/metrics").body(), "whatap_agent_http_connections") == 1;
          } catch (IOException e) {
            return false;
          }
        });
    assertThat(agent.alive()).isTrue();
    assertThat(agent.log()).doesNotContain("FATAL");
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", agent.httpPort), 10_000);
    s.setSoTimeout(20_000);
    return s;
  }


  /** What the peer sent before it closed the connection (EOF or reset), failing after {@code within}. */
  private static String readUntilClosed(Socket s, Duration within) throws IOException {
    s.setSoTimeout((int) within.toMillis());
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    try {
      InputStream in = s.getInputStream();
      for (int b; (b = in.read()) >= 0; ) {
        got.write(b);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection is still open after " + within + "; read: " + got, e);
    } catch (SocketException e) {
      // reset by the agent: closed too
    }
    return got.toString(StandardCharsets.ISO_8859_1);
  }

  private static long metric(String metrics, String name) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{\\})? (\\S+)$").matcher(metrics);
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return (long) Double.parseDouble(m.group(1).toLowerCase(Locale.ROOT));
  }
}
