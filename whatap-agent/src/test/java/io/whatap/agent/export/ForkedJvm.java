package io.whatap.agent.export;

import io.whatap.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM the export tests start (a traced application, the Zipkin server), its output collected. */
final class ForkedJvm implements AutoCloseable {
  final Process process;
  private final StringBuffer output = new StringBuffer();

  private ForkedJvm(List<String> command, Path dir) throws IOException {
    process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          output.append(line).append('\n');
        }
      } catch (IOException e) {
        // the process ended
      }
    }, "forked-jvm-output");
    reader.setDaemon(true);
    reader.start();
  }

  static String java() {
    return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code mainClass} on this test's class path, with {@code jvmOptions}, in a fresh directory. */
  static ForkedJvm main(Class<?> mainClass, List<String> jvmOptions, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path")));
    cmd.addAll(jvmOptions);
    cmd.add(mainClass.getName());
    cmd.addAll(List.of(args));
    return new ForkedJvm(cmd, Files.createTempDirectory("export-app"));
  }

  /** The Zipkin server exec jar (copied to target/ by the build) on {@code port}, in-memory storage. */
  static ForkedJvm zipkin(int port) throws IOException {
    Path jar = Paths.get("target", "zipkin-server.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the build copies it (maven-dependency-plugin, process-test-resources)");
    }
    return new ForkedJvm(List.of(java(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString(),
        "--server.port=" + port, "--logging.level.root=WARN", "--zipkin.ui.enabled=false"), Files.createTempDirectory("zipkin"));
  }

  /** A port free a moment ago (the forked server binds it itself). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  String output() {
    return output.toString();
  }

  /** The first group of {@code pattern} in the output, waiting for it. */
  String await(Pattern pattern, Duration within) {
    return Await.value("a line matching " + pattern + " from the forked JVM", within, () -> {
      Matcher m = pattern.matcher(output);
      if (m.find()) {
        return m.group(1);
      }
      if (!process.isAlive()) {
        throw new AssertionError("the forked JVM exited (" + process.exitValue() + "):\n" + output);
      }
      return null;
    }, this::output);
  }

  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (IOException | InterruptedException e) {
      process.destroyForcibly();
    }
  }
}
