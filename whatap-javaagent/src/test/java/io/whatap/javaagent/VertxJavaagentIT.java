package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.awaitNamed;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Vert.x Web application ({@code com.acme.vertx.VertxMain}; Vert.x 4.5, or 5 with -Pvertx5)
 * started with only {@code -javaagent}: its router traced with route-template names, the status
 * the client saw, failures, responses ended later from a timer; a second router that registers
 * whatap-vertx's WhatapHandler by hand (the application's own copy, which defers to the javaagent)
 * is traced once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VertxJavaagentIT {
  private UdpTestReceiver receiver;
  private Process app;
  private Path home;
  private String baseUrl;
  private String handUrl;

  @BeforeAll
  void startVertx() throws Exception {
    Path work = ItSupport.work("vertx");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyClasses(work.resolve("classes"), "com/acme/vertx");
    String classPath = classes + File.pathSeparator + ItSupport.classPathFrom("javaagent.vertx.classpath")
        + File.pathSeparator + ItSupport.classPathFrom("javaagent.whatap-vertx.classpath");
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.vertx.VertxMain"));
    Path output = work.resolve("vertx.out");
    app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + ItSupport.awaitLine(output, "PORT ", app);
    handUrl = "http://127.0.0.1:" + ItSupport.awaitLine(output, "HAND_PORT ", app);
  }

  @AfterAll
  void stopVertx() throws Exception {
    ItSupport.stop(app);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void runsOnTheVertxVersionUnderTest() throws Exception {
    assertThat(ItSupport.classPathFrom("javaagent.vertx.classpath"))
        .contains("vertx-web-" + System.getProperty("javaagent.vertx.version") + ".jar");
  }

  /**
   * The agent registers whatap-vertx's context slot when the application makes its Vert.x, before
   * the slots are copied: on Vert.x 5 there is no other way for timers and callbacks to see the
   * request's transaction, and the agent's copy would warn otherwise.
   */
  @Test
  void theContextSlotIsRegisteredBeforeTheApplicationsVertxIsMade() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/users/slot").statusCode()).isEqualTo(200);
    awaitNamed(receiver, "/users/:id", 1, home);
    assertThat(ItSupport.read(home.resolve("logs").resolve("whatap-agent.log")))
        .contains("hooked io.vertx.ext.web.Router")
        .doesNotContain("Vert.x was created before the WhaTap context slot was registered");
  }

  @Test
  void pathsOfOneRouteShareTheRouteTemplateAsName() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = ItSupport.get(baseUrl + "/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
    }
    List<ReceivedTx> named = awaitNamed(receiver, "/users/:id", 2, home);
    assertThat(named).extracting(ReceivedTx::status).containsOnly(200);
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  /**
   * A sub-router makes a router of its own (the agent gives it its traced first route as well):
   * the request is still one transaction. Its name is whatap-vertx's for sub-routers (the mount
   * route has no exact path, so the URL, with the numeric segment normalised).
   */
  @Test
  void aRequestThroughASubRouterIsOneTransaction() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/api/items/7").body()).isEqualTo("item 7");
    ReceivedTx tx = awaitNamed(receiver, "/api/items/{id}", 1, home).get(0);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(ItSupport.get(baseUrl + "/marker-sub").statusCode()).isEqualTo(404);
    awaitNamed(receiver, "/marker-sub", 1, home);
    assertThat(receiver.completed()).filteredOn(t -> t.uri().startsWith("/api/")).hasSize(1);
  }

  @Test
  void aFailingHandlerIsA500WithTheApplicationsException() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitNamed(receiver, "/boom", 1, home).get(0);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().first().satisfies(e ->
        assertThat(e.message()).contains("acme vertx failure"));
  }

  @Test
  void aResponseEndedLaterFromATimerEndsTheTransactionThen() throws Exception {
    HttpResponse<String> response = ItSupport.get(baseUrl + "/later/300");
    assertThat(response.statusCode()).isEqualTo(202);
    ReceivedTx tx = awaitNamed(receiver, "/later/:ms", 1, home).get(0);
    assertThat(tx.status()).as("the status set in the timer, when the response ended").isEqualTo(202);
    assertThat(tx.elapsedMs()).as("ended with the response, not when the handler returned").isGreaterThanOrEqualTo(300);
  }

  /**
   * The application's own WhatapHandler (its copies of whatap-vertx and whatap-api) defers to the
   * javaagent: it passes requests on, the agent's route stays on that router and traces them, once.
   */
  @Test
  void aRouterWithAHandRegisteredWhatapHandlerIsTracedOnce() throws Exception {
    assertThat(ItSupport.get(handUrl + "/hand/1").body()).isEqualTo("hand 1");
    assertThat(ItSupport.get(handUrl + "/hand/2").body()).isEqualTo("hand 2");
    awaitNamed(receiver, "/hand/:id", 2, home);
    // then another request: had /hand/1 and /hand/2 been traced twice, the copies would have been sent before it
    assertThat(ItSupport.get(baseUrl + "/marker").statusCode()).isEqualTo(200);
    awaitNamed(receiver, "/marker", 1, home);
    assertThat(receiver.completed()).filteredOn(t -> t.uri().startsWith("/hand")).hasSize(2);
    assertThat(ItSupport.read(home.resolve("logs").resolve("whatap-agent.log")))
        .doesNotContain("a Vert.x router has its own WhatapHandler");
  }
}
