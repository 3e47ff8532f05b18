package io.whatap.it.tomcat;

import io.whatap.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** A Tomcat that {@link TomcatDistribution#start} started: its process, port, directories and logs. */
public final class RunningTomcat implements AutoCloseable {
  private static final Pattern THREAD_NAME = Pattern.compile("^\"([^\"]*)\"", Pattern.MULTILINE);

  private final Process process;
  private final Path base;
  private final int port;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RunningTomcat(Process process, Path base, int port) {
    this.process = process;
    this.base = base;
    this.port = port;
  }

  public int port() {
    return port;
  }

  /** The JVM's pid: catalina.sh run execs java, so the started process is Tomcat's JVM. */
  public long pid() {
    return process.pid();
  }

  public Path base() {
    return base;
  }

  public Path webapps() {
    return base.resolve("webapps");
  }

  public Path logs() {
    return base.resolve("logs");
  }

  public String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** GET {@code path}: the response, or null when the connection failed. */
  public HttpResponse<String> get(String path) {
    try {
      return client.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Every log file's text (catalina.out, catalina.*.log, localhost.*.log, ...), each headed by its name. */
  public String logText() {
    StringBuilder sb = new StringBuilder();
    try (Stream<Path> files = Files.list(logs())) {
      for (Path f : (Iterable<Path>) files.sorted()::iterator) {
        if (Files.isRegularFile(f)) {
          sb.append("==> ").append(f.getFileName()).append(" <==\n")
              .append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)).append('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }

  /** The names of the JVM's threads now, read with {@code jcmd <pid> Thread.print}. */
  public List<String> threadNames() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "Thread.print")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid() + " Thread.print failed:\n" + out);
      }
      List<String> names = new ArrayList<>();
      Matcher m = THREAD_NAME.matcher(out);
      while (m.find()) {
        names.add(m.group(1));
      }
      return names;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  void awaitListening() throws IOException {
    await(Duration.ofSeconds(60), "Tomcat listening on port " + port, () -> {
      if (!process.isAlive()) {
        throw new IllegalStateException("Tomcat exited with " + process.exitValue() + ":\n" + logText());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    });
  }

  /** Waits until {@code condition} holds; fails with {@code what} and the logs at the deadline. */
  public void await(Duration timeout, String what, BooleanSupplier condition) {
    Await.until(what, timeout, condition, () -> "\n" + logText());
  }


  /** Stops Tomcat by signal (its shutdown hook stops the server) and waits for the JVM to exit. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
