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
 * An Undertow 2.3 core-handler application ({@code com.acme.undertow.UndertowMain}, a
 * {@code RoutingHandler} as the root) started with only {@code -javaagent}: named by the matched
 * template, the status the client saw, failures, exchanges completed later from another thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UndertowJavaagentIT {
  private UdpTestReceiver receiver;
  private Process app;
  private Path home;
  private String baseUrl;

  @BeforeAll
  void startUndertow() throws Exception {
    Path work = ItSupport.work("undertow");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyClasses(work.resolve("classes"), "com/acme/undertow");
    String classPath = classes + File.pathSeparator + ItSupport.classPathFrom("javaagent.undertow.classpath");
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.undertow.UndertowMain"));
    Path output = work.resolve("undertow.out");
    app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + ItSupport.awaitLine(output, "PORT ", app);
  }

  @AfterAll
  void stopUndertow() throws Exception {
    ItSupport.stop(app);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void pathsOfOneRouteShareTheTemplateAsName() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = ItSupport.get(baseUrl + "/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
    }
    List<ReceivedTx> named = awaitNamed(receiver, "/users/{id}", 2, home);
    assertThat(named).extracting(ReceivedTx::status).containsExactly(200, 200);
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  @Test
  void aFailingHandlerIsA500WithTheApplicationsException() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitNamed(receiver, "/boom", 1, home).get(0);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().first().satisfies(e ->
        assertThat(e.message()).contains("acme undertow failure"));
  }

  @Test
  void anExchangeCompletedLaterFromAnotherThreadEndsTheTransactionThen() throws Exception {
    HttpResponse<String> response = ItSupport.get(baseUrl + "/later/300");
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("later 300");
    ReceivedTx tx = awaitNamed(receiver, "/later/{ms}", 1, home).get(0);
    assertThat(tx.status()).as("the status set when the exchange completed").isEqualTo(202);
    assertThat(tx.elapsedMs()).as("ended with the exchange, not when the handler returned").isGreaterThanOrEqualTo(300);
  }
}
