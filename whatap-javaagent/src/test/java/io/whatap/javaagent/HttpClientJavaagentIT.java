package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.Hexa32;
import io.whatap.wire.Pack;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxHttpcPack;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Outgoing HTTP calls with only {@code -javaagent}: an embedded Jetty application without WhaTap code
 * (com.acme.clients) calls its own callee servlet with java.net.http, HttpURLConnection, Apache
 * HttpClient 5, OkHttp and Jetty HttpClient 12, each client made the plain way. Both ends are traced by the agent; the
 * checks read the packs a real UDP receiver decoded: the caller's TX_HTTPC step (URL without query,
 * driver, the callee's txid as step id), the callee's transaction linked back to the caller, a
 * connect failure recorded while the application gets the exception it gets without the agent, and
 * asynchronous completion on the client's thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpClientJavaagentIT {
  private static final AtomicInteger IDS = new AtomicInteger();
  private UdpTestReceiver receiver;
  private Process app;
  private Path home;
  private String base;

  @BeforeAll
  void startApp() throws Exception {
    Path work = ItSupport.work("clients");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = copyClasses(work.resolve("classes"), "com/acme/clients");
    String classPath = classes + File.pathSeparator
        + Files.readString(Path.of(System.getProperty("javaagent.clients.classpath"))).trim();
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.clients.ClientsMain"));
    Path output = work.resolve("clients.out");
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

  static String driver(String client) {
    switch (client) {
      case "jdk":
        return "java.net.http";
      case "urlconnection":
        return "HttpURLConnection";
      case "apache":
        return "apache-httpclient5";
      case "jetty":
        return "jetty-httpclient";
      default:
        return "okhttp";
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "urlconnection", "apache", "okhttp", "jetty"})
  void aCallIsAStepWithoutQueryLinkedToItsTracedCallee(String client) throws Exception {
    String id = String.valueOf(IDS.incrementAndGet());
    String path = "/call/" + client + "/" + word(id);
    String body = get(path, base + "/callee?id=" + id + "&secret=s3cr3t");
    assertThat(body).isEqualTo("status=200");
    ReceivedTx caller = awaitTx(path);
    TxHttpcPack step = onlyHttpc(caller);
    assertThat(step.url()).isEqualTo(base + "/callee");
    assertThat(step.driver()).isEqualTo(driver(client));
    assertThat(caller.steps(TxErrorPack.class)).isEmpty();
    assertLinked(caller, step, id);
    for (Pack p : receiver.packs()) {
      assertThat(p.toString()).doesNotContain("s3cr3t");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "urlconnection", "apache", "okhttp", "jetty"})
  void anErrorStatusIsAStepAndNotAnError(String client) throws Exception {
    String path = "/call/" + client + "/" + word(String.valueOf(IDS.incrementAndGet()));
    assertThat(get(path, base + "/callee/unavailable")).isEqualTo("status=503");
    ReceivedTx caller = awaitTx(path);
    assertThat(onlyHttpc(caller).url()).isEqualTo(base + "/callee/unavailable");
    assertThat(caller.steps(TxErrorPack.class)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "urlconnection", "apache", "okhttp", "jetty"})
  void aConnectFailureIsTheStepAndTheErrorAndTheApplicationGetsItsUsualException(String client) throws Exception {
    String path = "/call/" + client + "/" + word(String.valueOf(IDS.incrementAndGet()));
    String target = "http://127.0.0.1:" + closedPort() + "/nothing";
    String[] lines = get(path, target + "?q=1").split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("error=");
    assertThat(lines[1]).as("what the same call throws outside any transaction")
        .isEqualTo("untraced=" + lines[0].substring("error=".length()));
    String exceptionClass = lines[0].substring("error=".length(), lines[0].indexOf('|'));
    ReceivedTx caller = awaitTx(path);
    assertThat(onlyHttpc(caller).url()).isEqualTo(target);
    assertThat(caller.steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo(exceptionClass).endsWith("ConnectException"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"jdk", "apache", "okhttp", "jetty"})
  void anAsyncCallCompletesOnTheClientsThreadAndIsRecordedInItsTransaction(String client) throws Exception {
    String id = String.valueOf(IDS.incrementAndGet());
    String path = "/async/" + client + "/" + word(id);
    assertThat(get(path, base + "/callee?id=" + id)).isEqualTo("status=200 otherThread=true");
    ReceivedTx caller = awaitTx(path);
    TxHttpcPack step = onlyHttpc(caller);
    assertThat(step.url()).isEqualTo(base + "/callee");
    assertLinked(caller, step, id);
  }

  /** {@code id} in letters: a numeric path segment would be named by its template ({@code /call/jdk/{id}}). */
  private static String word(String id) {
    StringBuilder w = new StringBuilder("call");
    for (char c : id.toCharArray()) {
      w.append((char) ('g' + (c - '0')));
    }
    return w.toString();
  }

  private String get(String path, String to) throws Exception {
    return ItSupport.get(base + path + "?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8)).body();
  }

  private void assertLinked(ReceivedTx caller, TxHttpcPack step, String id) throws Exception {
    assertThat(step.stepId()).as("the callee's txid, assigned by the caller").isNotZero();
    ReceivedTx callee = receiver.awaitTransaction(tx -> tx.txid() == step.stepId(), WAIT);
    assertThat(callee.uri()).isEqualTo("/callee");
    assertThat(callee.end().mcallerTxid()).isEqualTo(caller.txid());
    assertThat(callee.end().mtid()).isEqualTo(caller.txid());
    assertThat(callee.end().mdepth()).isEqualTo(1);
    String seen = ItSupport.get(base + "/callee/headers?id=" + id).body();
    assertThat(seen).contains("x-wtap-tx=" + Hexa32.toString32(step.stepId()));
  }

  private ReceivedTx awaitTx(String uri) throws Exception {
    try {
      return receiver.awaitTransaction(uri, WAIT);
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

  private static Path copyClasses(Path into, String packagePath) throws Exception {
    Path classes = Path.of(System.getProperty("javaagent.test.classes"));
    try (Stream<Path> files = Files.walk(classes.resolve(packagePath))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path target = into.resolve(classes.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    return into;
  }
}
