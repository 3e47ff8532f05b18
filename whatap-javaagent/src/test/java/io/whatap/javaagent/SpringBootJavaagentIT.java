package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spring Boot 3.5 MVC application (embedded Tomcat, executable jar, no WhaTap code) started
 * with {@code java -javaagent:whatap-javaagent.jar -jar boot-app.jar}: requests are named by the
 * route template Spring MVC matched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SpringBootJavaagentIT {
  private static final Pattern STARTED = Pattern.compile("Tomcat started on port (?:\\(s\\): )?(\\d+)");

  private UdpTestReceiver receiver;
  private Process boot;
  private Path home;
  private String baseUrl;

  @BeforeAll
  void startBoot() throws Exception {
    Path work = ItSupport.work("spring-boot");
    home = Files.createDirectories(work.resolve("home"));
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-jar", System.getProperty("javaagent.boot.jar"),
        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
    Path output = work.resolve("boot.out");
    boot = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + awaitPort(output);
  }

  private String awaitPort(Path output) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Matcher m = STARTED.matcher(ItSupport.read(output));
      if (m.find()) {
        return m.group(1);
      }
      if (!boot.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("Boot did not start:\n" + ItSupport.read(output) + ItSupport.agentLog(home));
      }
      Thread.sleep(100); // polling a condition with a deadline
    }
  }

  @AfterAll
  void stopBoot() throws Exception {
    ItSupport.stop(boot);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void pathsOfOneRouteShareTheRouteTemplateAsName() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = ItSupport.get(baseUrl + "/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
    }
    List<ReceivedTx> named = awaitNamed("/users/{id}", 2);
    assertThat(named).extracting(ReceivedTx::status).containsExactly(200, 200);
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  @Test
  void aFailingHandlerIsA500WithTheApplicationsException() throws Exception {
    assertThat(ItSupport.get(baseUrl + "/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitNamed("/boom", 1).get(0);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().first().satisfies(e ->
        assertThat(e.message()).contains("acme boot failure"));
  }

  private List<ReceivedTx> awaitNamed(String name, int count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      List<ReceivedTx> named = receiver.completed().stream().filter(tx -> name.equals(tx.uri())).toList();
      if (named.size() >= count) {
        return named;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + count + " transactions named " + name + "; received: "
            + receiver.summary() + ItSupport.agentLog(home));
      }
      Thread.sleep(50); // polling a condition with a deadline
    }
  }
}
