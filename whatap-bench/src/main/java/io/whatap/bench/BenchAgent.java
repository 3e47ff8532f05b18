package io.whatap.bench;

import io.whatap.config.ConfigLoader;
import io.whatap.runtime.Agent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A standalone agent in a throw-away WHATAP_HOME, sending to a local port: what every
 * in-process benchmark starts. The environment and system properties of the benchmark JVM are
 * deliberately not read, so a stray WHATAP_* variable cannot change what is measured.
 */
public final class BenchAgent implements AutoCloseable {
  public final Agent agent;
  private final Path home;

  private BenchAgent(Agent agent, Path home) {
    this.agent = agent;
    this.home = home;
  }

  /** {@code options} are key/value pairs over the defaults, e.g. "net_send_queue_size", "65536". */
  public static BenchAgent start(int udpPort, String... options) {
    try {
      Path home = Files.createTempDirectory("whatap-bench-home");
      ConfigLoader loader = new ConfigLoader(home, Map.of(), new Properties());
      Map<String, String> o = new HashMap<>();
      o.put("net_udp_host", "127.0.0.1");
      o.put("net_udp_port", String.valueOf(udpPort));
      o.put("banner_enabled", "false");
      for (int i = 0; i + 1 < options.length; i += 2) {
        o.put(options[i], options[i + 1]);
      }
      loader.override(o);
      return new BenchAgent(Agent.startStandalone(loader), home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the sender's queue is empty (or the deadline passes); true when it drained. */
  public boolean awaitDrained(long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (agent.sender.queueSize() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.onSpinWait();
      Thread.yield();
    }
    return true;
  }

  @Override
  public void close() {
    agent.close();
    deleteTree(home);
  }

  static void deleteTree(Path root) {
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.delete(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // a temp directory left behind is harmless
    }
  }
}
