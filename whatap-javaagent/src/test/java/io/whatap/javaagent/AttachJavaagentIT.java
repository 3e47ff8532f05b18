package io.whatap.javaagent;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Runtime attach: the embedded Jetty application (com.acme.web, no WhaTap code) starts with no
 * agent and serves requests (its servlet and filter classes load); then
 * {@code java -jar whatap-javaagent.jar --attach <pid>} loads the agent into it, and the next
 * requests are traced: the classes loaded before the attach were retransformed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttachJavaagentIT {
  private UdpTestReceiver receiver;
  private Process jetty;
  private Path home;
  private Path work;
  private String baseUrl;

  @BeforeAll
  void startJettyWithoutAgent() throws Exception {
    work = ItSupport.work("attach");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyWebClasses(work.resolve("classes"), true);
    String classPath = classes + File.pathSeparator + ItSupport.classPathFrom("javaagent.jetty.classpath");
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    // the -Dwhatap.* configuration the agent reads once attached, without the -javaagent option
    List<String> options = ItSupport.agentOptions(receiver, home);
    command.addAll(options.subList(1, options.size()));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.web.JettyMain"));
    Path output = work.resolve("jetty.out");
    jetty = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + ItSupport.awaitLine(output, "PORT ", jetty);
  }

  @AfterAll
  void stopJetty() throws Exception {
    ItSupport.stop(jetty);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void requestsAfterTheAttachAreTraced() throws Exception {
    // before: served, the servlet, filter and Jetty classes loaded, nothing sent
    assertThat(ItSupport.get(baseUrl + "/users/alice").statusCode()).isEqualTo(200);
    assertThat(ItSupport.get(baseUrl + "/fail").statusCode()).isEqualTo(500);
    assertThat(receiver.datagrams()).as("no agent yet").isZero();

    Path attachOutput = work.resolve("attach.out");
    Process attach = new ProcessBuilder(ItSupport.javaExecutable(), "-jar", System.getProperty("javaagent.jar"),
        "--attach", String.valueOf(jetty.pid())).redirectErrorStream(true).redirectOutput(attachOutput.toFile())
        .start();
    assertThat(attach.waitFor(60, TimeUnit.SECONDS)).as("the attach command ends").isTrue();
    assertThat(attach.exitValue()).as(ItSupport.read(attachOutput)).isZero();
    assertThat(ItSupport.read(attachOutput)).contains("javaagent loaded into JVM " + jetty.pid());

    HttpResponse<String> response = ItSupport.get(baseUrl + "/users/bob");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("user bob");
    ReceivedTx bob = ItSupport.awaitNamed(receiver, "/users/bob", 1, home).get(0);
    assertThat(bob.status()).isEqualTo(200);

    assertThat(ItSupport.get(baseUrl + "/fail").statusCode()).isEqualTo(500);
    ReceivedTx fail = ItSupport.awaitNamed(receiver, "/fail", 1, home).get(0);
    assertThat(fail.status()).isEqualTo(500);
    assertThat(fail.steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> assertThat(e.message()).isEqualTo("acme failure"));
    assertThat(receiver.completed()).filteredOn(tx -> tx.uri().equals("/users/bob"))
        .as("one transaction per request after the attach").hasSize(1);

    // a second attach starts nothing more: still one transaction per request
    Process again = new ProcessBuilder(ItSupport.javaExecutable(), "-jar", System.getProperty("javaagent.jar"),
        "--attach", String.valueOf(jetty.pid())).redirectErrorStream(true)
        .redirectOutput(work.resolve("attach-again.out").toFile()).start();
    assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(again.exitValue()).isZero();
    ItSupport.get(baseUrl + "/users/carol");
    ItSupport.awaitNamed(receiver, "/users/carol", 1, home);
    assertThat(ItSupport.get(baseUrl + "/isolation").body()).as("attached, still isolated").isEqualTo("isolated");
    ItSupport.awaitNamed(receiver, "/isolation", 1, home);
    assertThat(receiver.completed()).filteredOn(tx -> tx.uri().equals("/users/carol")).hasSize(1);
    assertThat(ItSupport.read(work.resolve("jetty.out"))).contains("runs in this JVM already");
  }
}
