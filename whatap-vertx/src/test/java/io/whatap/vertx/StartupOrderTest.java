package io.whatap.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an application gets when it creates Vert.x before {@code WhatapHandler.create(vertx)}
 * (without {@code WhatapVertx.init()}). The order in which a JVM first meets the classes decides
 * it, so the application runs in a JVM of its own.
 */
class StartupOrderTest {
  @Test
  void vertxCreatedBeforeTheHandler() throws Exception {
    Path out = Files.createTempFile("late-registration", ".txt");
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
      Process app = new ProcessBuilder(List.of(java, "-Xmx128m",
          "-cp", System.getProperty("java.class.path"),
          "-Dwhatap.home=" + System.getProperty("whatap.home"),
          "-Dwhatap.banner_enabled=false",
          "-Dwhatap.net_udp_host=127.0.0.1",
          "-Dwhatap.net_udp_port=" + receiver.port(),
          LateRegistrationApp.class.getName()))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!app.waitFor(60, TimeUnit.SECONDS)) {
        app.destroyForcibly();
        throw new AssertionError("the application did not finish: " + Files.readString(out));
      }
      String printed = Files.readString(out, StandardCharsets.UTF_8);
      assertThat(app.exitValue()).as(printed).isZero();
      if (VertxTestServer.vertx4()) {
        assertThat(printed).as("Vert.x 4 falls back to the context's local map")
            .contains("mode=" + VertxContextStore.LOCAL_MAP + " handler=true timer=true");
      } else {
        assertThat(printed).as("Vert.x 5 has no slot for the agent: only the handler chain sees the transaction")
            .contains("mode=" + VertxContextStore.NONE + " handler=true timer=false");
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }
}
