package io.whatap.it.tomcat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * An unpacked standalone Tomcat distribution (CATALINA_HOME, the Maven Central tarball
 * {@code org.apache.tomcat:tomcat:<version>:tar.gz} unpacked by the build) that starts servers in
 * CATALINA_BASE directories of their own: {@code conf/} copied from the distribution with a
 * generated {@code server.xml} (HTTP on 127.0.0.1 at a port free just before start, no shutdown
 * port, {@code webapps/} auto-deployed with WARs unpacked and checked every second), started with
 * {@code bin/catalina.sh run} (its output in {@code logs/catalina.out}) and stopped by signal.
 *
 * <p>For other modules: depend on this module's test-jar, unpack the tarball as this module's pom
 * does, and pass its directory as {@code -Dtomcat.home}.
 */
public final class TomcatDistribution {
  /** The system property that names the unpacked distribution. */
  public static final String HOME_PROPERTY = "tomcat.home";

  private final Path home;

  private TomcatDistribution(Path home) {
    if (!Files.isRegularFile(home.resolve("bin").resolve("catalina.sh"))) {
      throw new IllegalArgumentException(home + " is not an unpacked Tomcat distribution (no bin/catalina.sh)");
    }
    this.home = home.toAbsolutePath();
  }

  public static TomcatDistribution at(Path catalinaHome) {
    return new TomcatDistribution(catalinaHome);
  }

  /** The distribution named by {@code -Dtomcat.home}. */
  public static TomcatDistribution fromSystemProperty() {
    String h = System.getProperty(HOME_PROPERTY);
    if (h == null || h.isBlank()) {
      throw new IllegalStateException("-D" + HOME_PROPERTY + " must name the unpacked Tomcat distribution");
    }
    return new TomcatDistribution(Path.of(h));
  }

  public Path home() {
    return home;
  }

  /**
   * Makes {@code base} a CATALINA_BASE of this distribution (conf/ copied, a generated server.xml,
   * empty webapps/, logs/, temp/ and work/) and starts Tomcat on it with {@code jvmOptions}
   * (CATALINA_OPTS). Returns once the HTTP port accepts connections.
   */
  public RunningTomcat start(Path base, List<String> jvmOptions) throws IOException {
    prepareBase(base);
    int port = freePort();
    Files.writeString(base.resolve("conf").resolve("server.xml"), serverXml(port));
    List<String> command = List.of("sh", home.resolve("bin").resolve("catalina.sh").toString(), "run");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("CATALINA_HOME", home.toString());
    pb.environment().put("CATALINA_BASE", base.toAbsolutePath().toString());
    pb.environment().put("CATALINA_PID", "");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().remove("JRE_HOME");
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("CATALINA_OPTS", String.join(" ", jvmOptions));
    pb.redirectErrorStream(true);
    pb.redirectOutput(base.resolve("logs").resolve("catalina.out").toFile());
    Process process = pb.start();
    RunningTomcat tomcat = new RunningTomcat(process, base.toAbsolutePath(), port);
    try {
      tomcat.awaitListening();
    } catch (IOException | RuntimeException | Error e) {
      tomcat.close();
      throw e;
    }
    return tomcat;
  }

  private void prepareBase(Path base) throws IOException {
    for (String dir : new String[] {"conf", "webapps", "logs", "temp", "work"}) {
      Files.createDirectories(base.resolve(dir));
    }
    try (Stream<Path> conf = Files.list(home.resolve("conf"))) {
      for (Path f : (Iterable<Path>) conf::iterator) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, base.resolve("conf").resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  /**
   * The stock listeners (the leak-prevention ones included: a test of leaks must see what a real
   * installation reports), one HTTP connector, one auto-deploying host.
   */
  static String serverXml(int port) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<Server port=\"-1\" shutdown=\"SHUTDOWN\">\n"
        + "  <Listener className=\"org.apache.catalina.startup.VersionLoggerListener\" />\n"
        + "  <Listener className=\"org.apache.catalina.core.JreMemoryLeakPreventionListener\" />\n"
        + "  <Listener className=\"org.apache.catalina.mbeans.GlobalResourcesLifecycleListener\" />\n"
        + "  <Listener className=\"org.apache.catalina.core.ThreadLocalLeakPreventionListener\" />\n"
        + "  <Service name=\"Catalina\">\n"
        + "    <Connector port=\"" + port + "\" address=\"127.0.0.1\" protocol=\"HTTP/1.1\" connectionTimeout=\"20000\" />\n"
        + "    <Engine name=\"Catalina\" defaultHost=\"localhost\" backgroundProcessorDelay=\"1\">\n"
        + "      <Host name=\"localhost\" appBase=\"webapps\" unpackWARs=\"true\" autoDeploy=\"true\" />\n"
        + "    </Engine>\n"
        + "  </Service>\n"
        + "</Server>\n";
  }

  /** A port free on loopback now (Tomcat's own port 0 would leave the test guessing which it took). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** JVM options every test Tomcat gets: a small heap and the serial collector (2 cores, many JVMs). */
  public static List<String> defaultJvmOptions() {
    List<String> o = new ArrayList<>();
    o.add("-Xmx256m");
    o.add("-XX:+UseSerialGC");
    return o;
  }
}
