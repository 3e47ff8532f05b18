package io.whatap.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.starter.StarterTestApp;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TxErrorPack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real Spring Boot MVC application (embedded Tomcat on a free port) with the starter and no
 * WhaTap code: the agent's options come from its application.properties (the UDP port through a
 * placeholder), and what it sent is read from a real UDP receiver on loopback. One Boot context
 * for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StarterBootAppTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private UdpTestReceiver receiver;
  private ConfigurableApplicationContext app;
  private String baseUrl;

  @BeforeAll
  void startApp() {
    receiver = new UdpTestReceiver();
    app = new SpringApplication(StarterTestApp.class).run("--server.port=0", "--server.address=127.0.0.1",
        "--spring.main.banner-mode=off", "--test.udp.port=" + receiver.port());
    baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
  }

  @AfterAll
  void stopApp() {
    if (app != null) {
      app.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void pathsOfOneRouteAreOneTransactionNameTheRouteTemplate() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = get("/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
    }
    List<ReceivedTx> named = awaitNamed("/users/{id}", 2);
    assertThat(named).extracting(ReceivedTx::status).containsExactly(200, 200);
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  @Test
  void anExceptionIsA500WithTheApplicationsErrorAndNoSecondTransactionForTheErrorPage() throws Exception {
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitNamed("/boom", 1).get(0);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().first().satisfies(e ->
        assertThat(e.message()).contains("acme starter failure"));
    // the error page was rendered before the client had the 500, so an /error transaction would
    // have ended, and been queued, before /probe's began
    assertThat(get("/probe").statusCode()).isEqualTo(200);
    awaitNamed("/probe", 1);
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/error");
  }

  @Test
  void appNameComesFromApplicationProperties() {
    RelayPack counters = receiver.awaitPack(RelayPack.class,
        p -> p.tagCount() != null && "starter-test-app".equals(p.tagCount().tags().get("app")), WAIT);
    assertThat(counters.tagCount().tags()).containsEntry("app", "starter-test-app");
  }

  @Test
  void whatapsFilterRunsBeforeTheApplicationsHighestPrecedenceFilter() throws Exception {
    assertThat(get("/probe").body()).isEqualTo("true");
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private List<ReceivedTx> awaitNamed(String name, int count) {
    return receiver.awaitNamed(name, count, WAIT, () -> "");
  }
}
