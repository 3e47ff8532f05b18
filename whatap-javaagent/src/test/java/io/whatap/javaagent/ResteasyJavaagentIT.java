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
 * A JAX-RS application on RESTEasy 6.2 (its servlet dispatcher on embedded Jetty 12 ee10,
 * {@code com.acme.resteasy}, no WhaTap code) with only {@code -javaagent}: the servlet hook traces
 * each request, named by the resource class's and method's {@code @Path} templates joined.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResteasyJavaagentIT {
  private UdpTestReceiver receiver;
  private Process app;
  private Path home;
  private String baseUrl;

  @BeforeAll
  void startResteasy() throws Exception {
    Path work = ItSupport.work("resteasy");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyClasses(work.resolve("classes"), "com/acme/resteasy");
    String classPath = classes + File.pathSeparator + ItSupport.classPathFrom("javaagent.jetty.classpath")
        + File.pathSeparator + ItSupport.classPathFrom("javaagent.resteasy.classpath");
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.resteasy.ResteasyMain"));
    Path output = work.resolve("resteasy.out");
    app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + ItSupport.awaitLine(output, "PORT ", app);
  }

  @AfterAll
  void stopResteasy() throws Exception {
    ItSupport.stop(app);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void pathsOfOneResourceMethodShareItsPathTemplateAsName() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = ItSupport.get(baseUrl + "/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
    }
    List<ReceivedTx> named = awaitNamed(receiver, "/users/{id}", 2, home);
    assertThat(named).extracting(ReceivedTx::status).containsOnly(200);
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  @Test
  void classAndMethodTemplatesJoinInOrder() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/users/carol/orders/42").body()).isEqualTo("order 42 of carol");
    assertThat(awaitNamed(receiver, "/users/{id}/orders/{order}", 1, home).get(0).status()).isEqualTo(200);
  }

  @Test
  void aFailingResourceIsA500WithTheApplicationsException() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/users/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitNamed(receiver, "/users/boom", 1, home).get(0);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().first().satisfies(e ->
        assertThat(e.message()).contains("acme resteasy failure"));
  }

  @Test
  void anUnmatchedPathKeepsItsPathAsName() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/nowhere/7").statusCode()).isEqualTo(404);
    assertThat(awaitNamed(receiver, "/nowhere/{id}", 1, home).get(0).status()).isEqualTo(404);
  }
}
