package io.whatap.javaagent;

import io.whatap.testing.UdpTestReceiver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** An embedded Jetty 12 (ee10) application, its class path Jetty, the servlet API and its own classes, plus -javaagent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyJavaagentIT extends ServletContainerChecks {
  private UdpTestReceiver receiver;
  private Process jetty;
  private Path home;
  private String baseUrl;

  @BeforeAll
  void startJetty() throws Exception {
    Path work = ItSupport.work("jetty");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyWebClasses(work.resolve("classes"), true);
    String classPath = classes + File.pathSeparator
        + Files.readString(Path.of(System.getProperty("javaagent.jetty.classpath"))).trim();
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
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

  @Override
  UdpTestReceiver receiver() {
    return receiver;
  }

  @Override
  String baseUrl() {
    return baseUrl;
  }

  @Override
  Path agentHome() {
    return home;
  }
}
