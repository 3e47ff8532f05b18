package io.whatap.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The standalone Tomcat 10.1 distribution from Maven Central (unpacked under target/tomcat by the
 * build), started with {@code catalina.sh run} on a CATALINA_BASE made here: a generated
 * server.xml on a free port, and app.war, the com.acme.web classes and nothing else. The agent
 * comes in through CATALINA_OPTS only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatJavaagentIT extends ServletContainerChecks {
  private UdpTestReceiver receiver;
  private Process tomcat;
  private Path home;
  private String baseUrl;

  @BeforeAll
  void startTomcat() throws Exception {
    Path tomcatHome = Path.of(System.getProperty("javaagent.tomcat.home"));
    assertThat(tomcatHome.resolve("bin/catalina.sh")).as("the unpacked distribution").exists();
    Path work = ItSupport.work("tomcat");
    home = Files.createDirectories(work.resolve("home"));
    Path base = Files.createDirectories(work.resolve("base"));
    for (String dir : List.of("logs", "temp", "work", "webapps", "conf")) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> conf = Files.list(tomcatHome.resolve("conf"))) {
      for (Path f : (Iterable<Path>) conf.filter(Files::isRegularFile)::iterator) {
        Files.copy(f, base.resolve("conf").resolve(f.getFileName()));
      }
    }
    int port = freePort();
    Files.writeString(base.resolve("conf/server.xml"), serverXml(port));
    war(ItSupport.copyWebClasses(work.resolve("war-classes"), false), base.resolve("webapps/app.war"));

    receiver = new UdpTestReceiver();
    ProcessBuilder pb = new ProcessBuilder("sh", tomcatHome.resolve("bin/catalina.sh").toString(), "run");
    Map<String, String> env = pb.environment();
    env.put("CATALINA_HOME", tomcatHome.toString());
    env.put("CATALINA_BASE", base.toString());
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.remove("JRE_HOME");
    env.put("CATALINA_OPTS", String.join(" ", ItSupport.agentOptions(receiver, home)) + " -XX:TieredStopAtLevel=1");
    Path output = work.resolve("catalina.out");
    tomcat = pb.redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + port + "/app";
    ItSupport.awaitUp(baseUrl + "/isolation", tomcat, output);
    receiver.awaitTransaction("/isolation", ItSupport.WAIT);
    receiver.clear();
  }

  @AfterAll
  void stopTomcat() throws Exception {
    ItSupport.stop(tomcat);
    if (receiver != null) {
      receiver.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String serverXml(int port) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<Server port=\"-1\" shutdown=\"SHUTDOWN\">\n"
        + "  <Service name=\"Catalina\">\n"
        + "    <Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\"/>\n"
        + "    <Engine name=\"Catalina\" defaultHost=\"localhost\">\n"
        + "      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"true\" autoDeploy=\"false\"/>\n"
        + "    </Engine>\n"
        + "  </Service>\n"
        + "</Server>\n";
  }

  /** app.war: WEB-INF/classes from {@code classes}; no web.xml (the servlets are annotated). */
  private static void war(Path classes, Path war) throws IOException {
    Map<String, Path> entries = new HashMap<>();
    try (Stream<Path> files = Files.walk(classes)) {
      files.filter(Files::isRegularFile).forEach(f -> entries.put(
          "WEB-INF/classes/" + classes.relativize(f).toString().replace('\\', '/'), f));
    }
    try (OutputStream out = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, Path> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        Files.copy(e.getValue(), zip);
        zip.closeEntry();
      }
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
