package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.agent.settings.AgentSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** agent_token: every request needs it; a dashboard reachable from other hosts cannot start without it. */
class TokenTest {
  private static final String TOKEN = "s3cret-t0ken";
  private final HttpClient client = HttpClient.newHttpClient();

  private int status(int port, String path, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void everyRequestNeedsTheTokenAsBearerOrQueryParameter() throws Exception {
    try (LocalAgent agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
        "agent_token", TOKEN)))) {
      int port = agent.httpPort();
      for (String path : new String[] {"/", "/metrics", "/api/apps", "/api/transactions/1", "/api/nothing"}) {
        assertThat(status(port, path, null)).as(path).isEqualTo(401);
        assertThat(status(port, path, "Bearer wrong")).as(path).isEqualTo(401);
        assertThat(status(port, path + (path.contains("?") ? "&" : "?") + "token=wrong", null)).as(path)
            .isEqualTo(401);
      }
      assertThat(status(port, "/", "Bearer " + TOKEN)).isEqualTo(200);
      assertThat(status(port, "/metrics", "bearer " + TOKEN)).isEqualTo(200);
      assertThat(status(port, "/api/apps?token=" + TOKEN, null)).isEqualTo(200);
      assertThat(status(port, "/?token=" + TOKEN, null)).isEqualTo(200);
      assertThat(status(port, "/api/transactions/1?token=" + TOKEN, null)).as("authorized, then not found")
          .isEqualTo(404);
      assertThat(status(port, "/api/apps", TOKEN)).as("the scheme is required").isEqualTo(401);
    }
  }

  @Test
  void aNonLoopbackAddressIsRefusedWithoutAToken() {
    assertThatThrownBy(() -> LocalAgent.start(AgentSettings.of(Map.of("agent_http_host", "0.0.0.0",
        "net_udp_port", "0", "agent_http_port", "0"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("agent_token");
    AgentSettings.of(Map.of("agent_http_host", "0.0.0.0", "agent_token", TOKEN)).validate();
    AgentSettings.of(Map.of("agent_http_host", "localhost")).validate();
    AgentSettings.of(Map.of("agent_http_host", "127.0.0.2")).validate();
    AgentSettings.of(Map.of("agent_http_host", "::1")).validate();
    assertThatThrownBy(() -> AgentSettings.of(Map.of("agent_http_host", "192.0.2.10")).validate())
        .hasMessageContaining("not a loopback");
    assertThatThrownBy(() -> AgentSettings.of(Map.of("agent_http_host", "example.invalid")).validate())
        .as("a name is not trusted to be loopback").hasMessageContaining("not a loopback");
  }

  @Test
  void badSettingsFallBackToDefaultsAndSaySo() {
    AgentSettings s = AgentSettings.of(Map.of("agent_recent_max", "lots", "agent_http_port", "70000"));
    assertThat(s.recentMax).isEqualTo(500);
    assertThat(s.httpPort).isEqualTo(6610);
    assertThat(s.problems()).hasSize(2).anySatisfy(p -> assertThat(p).startsWith("agent_recent_max=lots"));
  }
}
