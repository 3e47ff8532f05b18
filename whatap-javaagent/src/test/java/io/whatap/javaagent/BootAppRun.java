package io.whatap.javaagent;

import io.whatap.testing.UdpTestReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** A Spring Boot executable jar started with {@code java -javaagent:… -jar}, on a free port; its base URL once it logged the port. */
final class BootAppRun implements AutoCloseable {
  final UdpTestReceiver receiver = new UdpTestReceiver();
  final Path home;
  final String baseUrl;
  private final Process boot;

  /** {@code started}: the log line that carries the port (group 1). */
  BootAppRun(String name, String jar, Pattern started) throws Exception {
    this(name, jar, started, List.of());
  }

  /** {@code jvmOptions}: more options before {@code -jar} (e.g. {@code -Dwhatap.hook_method_patterns=...}). */
  BootAppRun(String name, String jar, Pattern started, List<String> jvmOptions) throws Exception {
    Path work = ItSupport.work(name);
    home = Files.createDirectories(work.resolve("home"));
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(jvmOptions);
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-jar", jar,
        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
    Path output = work.resolve(name + ".out");
    boot = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    try {
      baseUrl = "http://127.0.0.1:" + ItSupport.awaitMatch(output, started, boot, home);
    } catch (RuntimeException | Error e) {
      // the test class's @AfterAll has no instance to close: leave no JVM behind
      ItSupport.stop(boot);
      receiver.close();
      throw e;
    }
  }

  @Override
  public void close() throws Exception {
    ItSupport.stop(boot);
    receiver.close();
  }
}
