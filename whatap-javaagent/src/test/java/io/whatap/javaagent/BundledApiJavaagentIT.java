package io.whatap.javaagent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.it.tomcat.RunningTomcat;
import io.whatap.it.tomcat.TomcatDistribution;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxMethodPack;
import io.whatap.wire.TxMsgPack;
import io.whatap.wire.TxSqlPack;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One agent per JVM: the standalone Tomcat 10.1 distribution under {@code -javaagent}, serving a WAR
 * that bundles its own whatap-wire, whatap-api and whatap-servlet (WEB-INF/lib), registers
 * {@code WhatapFilter} in web.xml and records a profiled method, an SQL step and a message through its
 * own copy of {@code Whatap}. One transaction per request (the javaagent's), the WAR's steps inside
 * it, and one {@code whatap-sender} thread in Tomcat's JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BundledApiJavaagentIT {
  private UdpTestReceiver receiver;
  private RunningTomcat tomcat;
  private Path home;

  @BeforeAll
  void startTomcat() throws Exception {
    Path work = ItSupport.work("bundled-api");
    home = Files.createDirectories(work.resolve("home"));
    Path base = Files.createDirectories(work.resolve("base"));
    Files.createDirectories(base.resolve("webapps"));
    Path classes = ItSupport.copyClasses(work.resolve("war-classes"), "com/acme/bundled");
    war(classes, Path.of(System.getProperty("javaagent.bundled.lib")), base.resolve("webapps/app.war"));
    receiver = new UdpTestReceiver();
    List<String> options = new ArrayList<>(TomcatDistribution.defaultJvmOptions());
    options.addAll(ItSupport.agentOptions(receiver, home));
    options.add("-XX:TieredStopAtLevel=1");
    tomcat = TomcatDistribution.at(Path.of(System.getProperty("javaagent.tomcat.home"))).start(base, options);
    tomcat.await(ItSupport.WAIT, "app.war deployed", () -> {
      HttpResponse<String> r = tomcat.get("/app/profiled");
      return r != null && r.statusCode() == 200;
    });
    // the warm-up request's transaction reaches the receiver a flush later: wait for it, so that
    // the test's clear() cannot be followed by it
    ItSupport.awaitNamed(receiver, "/profiled", 1, home);
  }

  @AfterAll
  void stopTomcat() {
    if (tomcat != null) {
      tomcat.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void theWarsOwnWhatapRecordsIntoTheJavaagentsTransactionThroughOneSender() throws Exception {
    receiver.clear();
    List<Long> txidsSeenByTheWar = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> response = tomcat.get("/app/profiled");
      assertThat(response.statusCode()).isEqualTo(200);
      String[] words = response.body().split(" ");
      assertThat(words).as(response.body()).hasSize(4);
      assertThat(words[3]).as("the servlet used the WAR's own copy of whatap-api").isEqualTo("true");
      txidsSeenByTheWar.add(Long.parseLong(words[1]));
    }
    assertThat(txidsSeenByTheWar).as("the WAR's Whatap.currentTransaction() saw a transaction").doesNotContain(0L)
        .doesNotHaveDuplicates();

    List<ReceivedTx> named = ItSupport.awaitNamed(receiver, "/profiled", 3, home);
    assertThat(named).as("one transaction per request: the javaagent's, not a second one from the WAR's filter")
        .hasSize(3);
    assertThat(named).extracting(ReceivedTx::txid).containsExactlyInAnyOrderElementsOf(txidsSeenByTheWar);
    for (ReceivedTx tx : named) {
      assertThat(tx.status()).isEqualTo(200);
      assertThat(tx.steps(TxMethodPack.class)).extracting(TxMethodPack::method)
          .containsExactly("com.acme.bundled.lookup");
      assertThat(tx.steps(TxSqlPack.class)).extracting(TxSqlPack::sql)
          .containsExactly("select name from users where id = ?");
      assertThat(tx.steps(TxMsgPack.class)).extracting(TxMsgPack::title).containsExactly("acme");
    }
    assertThat(receiver.completed()).as("nothing but the three requests: " + receiver.summary()).hasSize(3);

    List<String> threads = tomcat.threadNames();
    assertThat(threads).as("one agent in the JVM: " + threads).filteredOn("whatap-sender"::equals).hasSize(1);
    assertThat(threads).filteredOn("whatap-timer"::equals).as("one counter (timer) thread").hasSize(1);
  }

  /** app.war: the application's classes, web.xml registering the WAR's own WhatapFilter, and the WhaTap jars in WEB-INF/lib. */
  private static void war(Path classes, Path lib, Path war) throws IOException {
    try (OutputStream out = Files.newOutputStream(war); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
      zip.write(webXml().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          put(zip, "WEB-INF/classes/" + classes.relativize(f).toString().replace('\\', '/'), f);
        }
      }
      try (Stream<Path> jars = Files.list(lib)) {
        List<Path> found = jars.filter(f -> f.toString().endsWith(".jar")).toList();
        assertThat(found).as("whatap-wire, whatap-api and whatap-servlet in " + lib).hasSize(3);
        for (Path jar : found) {
          put(zip, "WEB-INF/lib/" + jar.getFileName(), jar);
        }
      }
    }
  }

  private static void put(ZipOutputStream zip, String name, Path file) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    Files.copy(file, zip);
    zip.closeEntry();
  }

  private static String webXml() {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"6.0\">\n"
        + "  <filter>\n"
        + "    <filter-name>whatap</filter-name>\n"
        + "    <filter-class>io.whatap.servlet.WhatapFilter</filter-class>\n"
        + "    <async-supported>true</async-supported>\n"
        + "  </filter>\n"
        + "  <filter-mapping>\n"
        + "    <filter-name>whatap</filter-name>\n"
        + "    <url-pattern>/*</url-pattern>\n"
        + "    <dispatcher>REQUEST</dispatcher>\n"
        + "    <dispatcher>ASYNC</dispatcher>\n"
        + "  </filter-mapping>\n"
        + "</web-app>\n";
  }
}
