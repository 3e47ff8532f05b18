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
    Path work = ItSupport.work(name);
    home = Files.createDirectories(work.resolve("home"));
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-jar", jar,
        "--server.port=0", "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
    Path output = work.resolve(name + ".out");
    boot = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    baseUrl = "http://127.0.0.1:" + ItSupport.awaitMatch(output, started, boot, home);
  }

  @Override
  public void close() throws Exception {
    ItSupport.stop(boot);
    receiver.close();
  }
}
