package io.whatap.javaagent;

import io.whatap.testing.Await;
import io.whatap.testing.UdpTestReceiver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the javaagent ITs share: the agent's options for a child JVM, the test application's classes, HTTP, waiting. */
final class ItSupport {
  /**
   * The longest wait for a condition (a deadline, not a sleep): a Spring Boot app under the agent
   * took up to 50 s to start on the shared 2-core machine at load average 24.
   */
  static final Duration WAIT = Duration.ofSeconds(120);
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ItSupport() { }

  static Path work(String name) throws IOException {
    Path dir = Path.of(System.getProperty("javaagent.work"), name);
    deleteTree(dir);
    return Files.createDirectories(dir);
  }

  static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** {@code -javaagent:whatap-javaagent.jar} and the -D options pointing it at {@code receiver}; nothing else. */
  static List<String> agentOptions(UdpTestReceiver receiver, Path home) {
    List<String> options = new ArrayList<>();
    options.add("-javaagent:" + System.getProperty("javaagent.jar"));
    options.add("-Dwhatap.home=" + home);
    receiver.agentOptions().forEach((k, v) -> options.add("-Dwhatap." + k + "=" + v));
    options.add("-Dwhatap.banner_enabled=false");
    options.add("-Dwhatap.counter_interval_ms=600000");
    return options;
  }

  /** Copies the test application's own classes (package com.acme.web, no WhaTap code) under {@code into}. */
  static Path copyWebClasses(Path into, boolean withJettyMain) throws IOException {
    Path classes = Path.of(System.getProperty("javaagent.test.classes"));
    Path from = classes.resolve("com/acme/web");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (!withJettyMain && f.getFileName().toString().startsWith("JettyMain")) {
          continue;
        }
        Path target = into.resolve(classes.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    return into;
  }

  /** Copies the test application classes of {@code packageDir} (e.g. "com/acme/vertx": no WhaTap code) under {@code into}. */
  static Path copyClasses(Path into, String packageDir) throws IOException {
    Path classes = Path.of(System.getProperty("javaagent.test.classes"));
    try (Stream<Path> files = Files.walk(classes.resolve(packageDir))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        Path target = into.resolve(classes.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    return into;
  }

  /** The class path the build wrote to the file named by system property {@code property}. */
  static String classPathFrom(String property) throws IOException {
    return Files.readString(Path.of(System.getProperty(property))).trim();
  }

  /** Waits until {@code receiver} has {@code count} completed transactions named {@code name}; the agent log in the failure. */
  static List<UdpTestReceiver.ReceivedTx> awaitNamed(UdpTestReceiver receiver, String name, int count, Path home) {
    return receiver.awaitNamed(name, count, WAIT, () -> agentLogQuietly(home));
  }

  static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /** Polls {@code url} until it answers 200, the process dies, or {@link #WAIT} passes. */
  static void awaitUp(String url, Process process, Path output) {
    Await.until("200 from " + url, WAIT, () -> {
      alive(process, output);
      try {
        return get(url).statusCode() == 200;
      } catch (IOException notYet) {
        return false; // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }, () -> "output:\n" + readQuietly(output));
  }

  /** Waits until {@code output} contains a line starting with {@code prefix}; returns the rest of the line. */
  static String awaitLine(Path output, String prefix, Process process) {
    return Await.value("a line '" + prefix + "'", WAIT, () -> {
      // read before asking whether the process lives: it may have printed the line and exited
      boolean wasAlive = process.isAlive();
      for (String line : readQuietly(output).split("\n")) {
        if (line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
      }
      if (!wasAlive) {
        alive(process, output);
      }
      return null;
    }, () -> "output:\n" + readQuietly(output));
  }

  /** Waits until {@code pattern}'s group 1 shows in {@code output} (e.g. the port a Boot app started on). */
  static String awaitMatch(Path output, Pattern pattern, Process process, Path home) {
    return Await.value(pattern.pattern(), WAIT, () -> {
      boolean wasAlive = process.isAlive();
      Matcher m = pattern.matcher(readQuietly(output));
      if (m.find()) {
        return m.group(1);
      }
      if (!wasAlive) {
        alive(process, output);
      }
      return null;
    }, () -> "output:\n" + readQuietly(output) + agentLogQuietly(home));
  }

  /** Stops a wait at once when the process that should answer has died. */
  private static void alive(Process process, Path output) {
    if (!process.isAlive()) {
      throw new AssertionError("the process ended with status " + process.exitValue() + ":\n" + readQuietly(output));
    }
  }

  static String readQuietly(Path file) {
    try {
      return read(file);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  static String agentLogQuietly(Path home) {
    try {
      return agentLog(home);
    } catch (IOException e) {
      return "(cannot read the agent log: " + e + ")";
    }
  }

  static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  static String agentLog(Path home) throws IOException {
    return "\nagent log:\n" + read(home.resolve("logs").resolve("whatap-agent.log"));
  }

  static void stop(Process process) throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
