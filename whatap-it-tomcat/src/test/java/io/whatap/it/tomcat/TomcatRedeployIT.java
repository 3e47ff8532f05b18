package io.whatap.it.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A WAR with WhatapFilter on a real standalone Tomcat 10.1: deployed, served, redeployed three
 * times by replacing the WAR, then undeployed by deleting it. While deployed the JVM has exactly
 * one whatap-sender; after the undeploy no whatap-* thread is left; Tomcat's leak detection
 * (threads the application started, ThreadLocal values of its classes) finds nothing in any log.
 * WHATAP_HOME is not set: the agent log must be under catalina.base, and its start-up line must
 * show the app_name the web.xml init-param set.
 */
class TomcatRedeployIT {
  private static final Duration DEPLOY = Duration.ofSeconds(90);
  private static final String THREAD_LEAK = "appears to have started a thread named";
  private static final String THREADLOCAL_LEAK = "ThreadLocal with key of type";

  @Test
  void redeployingAndUndeployingLeavesNoAgentThreadAndNoLeakWarning() throws Exception {
    Path base = Path.of("target", "tomcat-base-redeploy").toAbsolutePath();
    deleteTree(base);
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      List<String> options = TomcatDistribution.defaultJvmOptions();
      options.add("-Dwhatap.net_udp_host=127.0.0.1");
      options.add("-Dwhatap.net_udp_port=" + receiver.port());
      options.add("-Dwhatap.banner_enabled=false");
      try (RunningTomcat tomcat = TomcatDistribution.fromSystemProperty().start(base, options)) {
        Path war = tomcat.webapps().resolve("app.war");
        for (int generation = 1; generation <= 4; generation++) { // deploy, then three redeploys
          TestWar.deploy(war, generation);
          String expected = "generation " + generation;
          tomcat.await(DEPLOY, "/app/hello to answer \"" + expected + "\"", () -> {
            HttpResponse<String> r = tomcat.get("/app/hello");
            return r != null && r.statusCode() == 200 && r.body().equals(expected);
          });
          for (int i = 0; i < 3; i++) {
            assertThat(tomcat.get("/app/hello?i=" + i).body()).isEqualTo(expected);
          }
          assertThat(receiver.awaitTransaction(tx -> tx.uri() != null && tx.uri().contains("/hello"),
              Duration.ofSeconds(10))).as("a traced request of generation %d reached the receiver", generation)
              .isNotNull();
          receiver.clear();
          assertThat(whatapThreads(tomcat)).as("the agent's threads while generation %d is deployed", generation)
              .containsOnlyOnce("whatap-sender");
        }

        Files.delete(war);
        tomcat.await(DEPLOY, "the undeploy of /app (its unpacked directory removed, /app/hello 404)",
            () -> !Files.exists(tomcat.webapps().resolve("app")) && statusOf(tomcat, "/app/hello") == 404);
        tomcat.await(Duration.ofSeconds(10), "no whatap-* thread after the undeploy",
            () -> whatapThreads(tomcat).isEmpty());

        String logs = tomcat.logText();
        assertThat(logs).as("Tomcat's leak detection").doesNotContain(THREAD_LEAK).doesNotContain(THREADLOCAL_LEAK);
        assertThat(undeploys(logs)).as("Tomcat undeployed (and checked for leaks) three redeploys and the undeploy")
            .isGreaterThanOrEqualTo(4);

        Path agentLog = tomcat.base().resolve("logs").resolve("whatap-agent.log");
        assertThat(agentLog).as("WHATAP_HOME defaults to catalina.base").exists();
        String agentText = Files.readString(agentLog, StandardCharsets.UTF_8);
        assertThat(startupLines(agentText)).as("one start-up line per deployment, each with web.xml's app_name")
            .hasSize(4).allMatch(l -> l.contains("app_name=" + TestWar.APP_NAME));
        assertThat(agentText).doesNotContain("app_name=java-app");
        assertThat(agentText).contains("its last user is gone");
      }
    }
  }

  private static int statusOf(RunningTomcat tomcat, String path) {
    HttpResponse<String> r = tomcat.get(path);
    return r == null ? -1 : r.statusCode();
  }

  private static List<String> whatapThreads(RunningTomcat tomcat) {
    List<String> names = new ArrayList<>();
    for (String n : tomcat.threadNames()) {
      if (n.startsWith("whatap-")) {
        names.add(n);
      }
    }
    return names;
  }

  private static List<String> startupLines(String agentLog) {
    List<String> lines = new ArrayList<>();
    for (String l : agentLog.split("\n")) {
      if (l.contains("] WhaTap agent ") && l.contains("app_name=")) {
        lines.add(l);
      }
    }
    return lines;
  }

  private static int undeploys(String logs) {
    int n = 0;
    String line = "Undeploying context [/app]";
    for (int i = logs.indexOf(line); i >= 0; i = logs.indexOf(line, i + 1)) {
      n++;
    }
    return n;
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
