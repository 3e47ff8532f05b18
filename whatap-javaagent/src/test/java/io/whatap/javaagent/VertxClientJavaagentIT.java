package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.Hexa32;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxHttpcPack;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outgoing calls of Vert.x's {@code HttpClient} and {@code WebClient} (4.5, or 5 with -Pvertx5) with
 * only {@code -javaagent}: a Vert.x Web application without WhaTap code
 * ({@code com.acme.vertxclients.VertxClientsMain}) calls its own callee route. Both ends are traced by
 * the agent; the checks read the packs a real UDP receiver decoded: the caller's TX_HTTPC step (URL
 * without query, driver, the callee's txid as step id), the callee's transaction linked back, the
 * headers the callee saw, a connect failure recorded while the application gets the exception it gets
 * without the agent, and completion after the route's handler returned (Vert.x completes on the
 * caller's event loop, later).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VertxClientJavaagentIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(WAIT).build();
  private UdpTestReceiver receiver;
  private Process app;
  private Path home;
  private String base;

  @BeforeAll
  void startApp() throws Exception {
    Path work = ItSupport.work("vertx-clients");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyClasses(work.resolve("classes"), "com/acme/vertxclients");
    String classPath = classes + File.pathSeparator + ItSupport.classPathFrom("javaagent.vertx.classpath");
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.vertxclients.VertxClientsMain"));
    Path output = work.resolve("vertx-clients.out");
    app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    base = "http://127.0.0.1:" + ItSupport.awaitLine(output, "PORT ", app);
  }

  @AfterAll
  void stopApp() throws Exception {
    ItSupport.stop(app);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void runsOnTheVertxVersionUnderTest() throws Exception {
    assertThat(ItSupport.classPathFrom("javaagent.vertx.classpath"))
        .contains("vertx-web-client-" + System.getProperty("javaagent.vertx.version") + ".jar");
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpclient", "webclient"})
  void aCallIsAStepWithoutQueryLinkedToItsTracedCalleeAndEndsAfterTheHandlerReturned(String client)
      throws Exception {
    String id = client + IDS.incrementAndGet();
    String target = base + "/callee/" + id;
    assertThat(call(client, target + "?secret=s3cr3t")).isEqualTo("status=200 afterHandler=true");
    ReceivedTx caller = awaitCaller(target);
    TxHttpcPack step = onlyHttpc(caller);
    assertThat(step.driver()).isEqualTo("vertx-httpclient");
    assertThat(caller.steps(TxErrorPack.class)).isEmpty();
    assertThat(step.stepId()).as("the callee's txid, assigned by the caller").isNotZero();
    ReceivedTx callee = receiver.awaitTransaction(tx -> tx.txid() == step.stepId(), WAIT);
    assertThat(callee.end().mcallerTxid()).isEqualTo(caller.txid());
    assertThat(callee.end().mtid()).isEqualTo(caller.txid());
    assertThat(callee.end().mdepth()).isEqualTo(1);
    assertThat(get(base + "/seen/" + id))
        .contains("x-wtap-tx=" + Hexa32.toString32(step.stepId()))
        .contains("traceparent=");
    assertThat(receiver.packs()).allSatisfy(p -> assertThat(p.toString()).doesNotContain("s3cr3t"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpclient", "webclient"})
  void anErrorStatusIsAStepAndNotAnError(String client) throws Exception {
    String target = base + "/unavailable/" + client + IDS.incrementAndGet();
    assertThat(call(client, target)).isEqualTo("status=503 afterHandler=true");
    ReceivedTx caller = awaitCaller(target);
    assertThat(onlyHttpc(caller).url()).isEqualTo(target);
    assertThat(caller.steps(TxErrorPack.class)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"httpclient", "webclient"})
  void aConnectFailureIsTheStepAndTheErrorAndTheApplicationGetsItsUsualException(String client) throws Exception {
    String target = "http://127.0.0.1:" + closedPort() + "/nothing" + IDS.incrementAndGet();
    String[] lines = call(client, target + "?q=1").split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("error=");
    assertThat(lines[1]).as("what the same call gives outside any transaction")
        .isEqualTo("untraced=" + lines[0].substring("error=".length()));
    String exceptionClass = lines[0].substring("error=".length(), lines[0].indexOf('|'));
    ReceivedTx caller = awaitCaller(target);
    assertThat(caller.steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo(exceptionClass).endsWith("ConnectException"));
  }

  @Test
  void noStepIsRecordedTwiceAndTheHookIsNamedInTheAgentLog() throws Exception {
    String target = base + "/callee/once" + IDS.incrementAndGet();
    assertThat(call("webclient", target)).startsWith("status=200");
    assertThat(onlyHttpc(awaitCaller(target)).url()).isEqualTo(target);
    assertThat(ItSupport.agentLog(home)).contains("hooked io.vertx.core.http.HttpClient");
  }

  private String call(String client, String to) throws Exception {
    return get(base + "/call/" + client + "?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8));
  }

  /**
   * GET over HTTP/1.1: the JDK client's default (HTTP/2) asks a cleartext server for an h2c upgrade,
   * which Vert.x grants; the caller's transaction would then end on the upgraded connection, which
   * is not what these tests are about.
   */
  private static String get(String url) throws Exception {
    return HTTP_1_1.send(HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The caller's transaction: the one whose TX_HTTPC step went to {@code url} (each test's URL is its own). */
  private ReceivedTx awaitCaller(String url) throws Exception {
    try {
      return receiver.awaitTransaction(tx -> tx.steps(TxHttpcPack.class).stream().anyMatch(s -> url.equals(s.url())),
          WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ItSupport.agentLog(home), e);
    }
  }

  private TxHttpcPack onlyHttpc(ReceivedTx tx) throws Exception {
    List<TxHttpcPack> steps = tx.steps(TxHttpcPack.class);
    assertThat(steps).as("TX_HTTPC steps of " + tx + ItSupport.agentLog(home)).hasSize(1);
    return steps.get(0);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
