package io.whatap.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An Undertow servlet deployment mounted under a core {@code PathHandler} root
 * ({@code com.acme.undertowservlet}) with only {@code -javaagent}: its requests are traced once,
 * by the servlet hook; the Undertow root-handler hook backs off.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UndertowServletJavaagentIT {
  private UdpTestReceiver receiver;
  private Process app;
  private Path home;
  private String baseUrl;

  @BeforeAll
  void startUndertow() throws Exception {
    Path work = ItSupport.work("undertow-servlet");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyWebClasses(work.resolve("classes"), false);
    ItSupport.copyClasses(classes, "com/acme/undertowservlet");
    String classPath = classes + File.pathSeparator + ItSupport.classPathFrom("javaagent.undertow.classpath");
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.undertowservlet.UndertowServletMain"));
    Path output = work.resolve("undertow-servlet.out");
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
  void eachServletRequestIsOneTransaction() throws Exception {
    for (String user : new String[] {"alice", "bob", "carol"}) {
      assertThat(ItSupport.get(baseUrl + "/app/users/" + user).body()).isEqualTo("user " + user);
      // each request's transaction arrives before the next request is made: had the root been
      // wrapped too, its transaction (ended at the exchange's completion) would be among them
      receiver.awaitTransaction(tx -> tx.uri().endsWith("/users/" + user), ItSupport.WAIT);
    }
    List<ReceivedTx> first = receiver.completed().stream()
        .filter(tx -> !tx.uri().contains("carol")).toList();
    assertThat(first).as(receiver.summary()).hasSize(2);
    assertThat(first).extracting(ReceivedTx::status).containsOnly(200);
    assertThat(ItSupport.read(home.resolve("logs").resolve("whatap-agent.log")))
        .contains("Undertow servlet deployment started");
  }
}
