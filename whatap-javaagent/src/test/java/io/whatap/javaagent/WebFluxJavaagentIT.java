package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.awaitNamed;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMethodPack;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spring Boot 3.5 WebFlux application (Reactor Netty, executable jar, no WhaTap code; the module
 * whatap-javaagent-webflux-app) started with {@code java -javaagent:whatap-javaagent.jar -jar}:
 * named by the best-matching pattern, the status, the handled exception, and responses that end
 * after the handler method returned.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebFluxJavaagentIT {
  private BootAppRun app;

  @BeforeAll
  void start() throws Exception {
    app = new BootAppRun("webflux", System.getProperty("javaagent.webflux.jar"),
        Pattern.compile("Netty started on port (\\d+)"),
        List.of("-Dwhatap.hook_method_patterns=com.acme.boot.Lookup.*"));
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void pathsOfOneRouteShareTheBestMatchingPatternAsName() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = ItSupport.get(app.baseUrl + "/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
    }
    List<ReceivedTx> named = awaitNamed(app.receiver, "/users/{id}", 2, app.home);
    assertThat(named).extracting(ReceivedTx::status).containsExactly(200, 200);
    assertThat(app.receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  /**
   * Steps recorded on other threads of the request's pipeline (a {@code fromCallable} on
   * {@code boundedElastic}, a {@code map} after {@code publishOn(parallel)}) land in its transaction,
   * not in transactions of their own.
   */
  @Test
  void stepsOnOtherSchedulersLandInTheRequestsTransaction() throws Exception {
    HttpResponse<String> response = ItSupport.get(app.baseUrl + "/reactive/7");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).startsWith("found 7 on boundedElastic-").contains(", decorated on parallel-");
    ReceivedTx tx = awaitNamed(app.receiver, "/reactive/{id}", 1, app.home).get(0);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.steps(TxMethodPack.class)).as("%s", tx).extracting(TxMethodPack::method)
        .containsExactly("com.acme.boot.Lookup.find", "com.acme.boot.Lookup.decorate");
    assertThat(app.receiver.completed()).as("no transaction of their own for the steps")
        .extracting(ReceivedTx::uri).noneMatch(uri -> uri.contains("Lookup"));
  }

  @Test
  void aFailedMonoIsA500WithTheApplicationsException() throws Exception {
    assertThat(ItSupport.get(app.baseUrl + "/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitNamed(app.receiver, "/boom", 1, app.home).get(0);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().first().satisfies(e ->
        assertThat(e.message()).contains("acme webflux failure"));
  }

  @Test
  void aResponseEmittedLaterEndsTheTransactionThen() throws Exception {
    HttpResponse<String> response = ItSupport.get(app.baseUrl + "/slow/300");
    assertThat(response.body()).isEqualTo("slept 300");
    ReceivedTx tx = awaitNamed(app.receiver, "/slow/{ms}", 1, app.home).get(0);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.elapsedMs()).as("ended when the Mono completed, not when handle returned").isGreaterThanOrEqualTo(300);
  }

  /** Boot's static-resource mapping ({@code /**}) is the best match of an unknown path: one name for all 404s, not one per URL. */
  @Test
  void anUnknownPathIsA404NamedByTheResourcePattern() throws Exception {
    assertThat(ItSupport.get(app.baseUrl + "/nowhere").statusCode()).isEqualTo(404);
    assertThat(awaitNamed(app.receiver, "/**", 1, app.home).get(0).status()).isEqualTo(404);
    assertThat(app.receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/nowhere");
  }
}
