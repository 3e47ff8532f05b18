package io.whatap.jdbc.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: Debian's {@code postgresql} package (installed with apt-get
 * when missing), a cluster made with {@code initdb} in a temporary directory, started with
 * {@code pg_ctl} on a free loopback port with its socket in that directory, password
 * authentication over TCP. One per test class: {@link #start()} in {@code @BeforeAll},
 * {@link #close()} in {@code @AfterAll}. When the server cannot be installed or started the
 * set-up fails with the reason; it never skips.
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "whatap_test";
  /** Distinctive so that tests can assert it appears in no pack. */
  public static final String PASSWORD = "pw-Secr3t-9f2c";

  private final Path dir;
  private final Path bin;
  private final int port;

  private PostgresServer(Path dir, Path bin, int port) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
  }

  public int port() {
    return port;
  }

  /** The JDBC URL with the user and password in its query (as applications often write it). */
  public String urlWithCredentials() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER + "&password=" + PASSWORD
        + "&ApplicationName=whatap-test";
  }

  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = findOrInstall();
    Path dir = Files.createTempDirectory("whatap-pg-");
    boolean root = "root".equals(System.getProperty("user.name"));
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, PASSWORD + "\n");
    Path data = dir.resolve("data");
    if (root) {
      run(dir, List.of("chown", "-R", "postgres:postgres", dir.toString()), 30);
    }
    run(dir, asServerUser(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
        "--pwfile=" + pwfile, "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
        "--locale=C")), 120);
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      int port = freePort();
      try {
        run(dir, asServerUser(root, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w",
            "-t", "60", "-l", dir.resolve("server.log").toString(), "-o",
            "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start")), 90);
        return new PostgresServer(dir, bin, port);
      } catch (IOException e) {
        last = e; // the free port was taken between our check and the server's bind: try another
      }
    }
    throw new IllegalStateException("PostgreSQL did not start in " + dir + "; server.log: "
        + readQuietly(dir.resolve("server.log")), last);
  }

  @Override
  public void close() {
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      run(dir, asServerUser(root, List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
          "-m", "immediate", "-w", "stop")), 60);
    } catch (IOException | InterruptedException e) {
      System.err.println("PostgresServer: stop failed: " + e);
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      System.err.println("PostgresServer: could not delete " + dir + ": " + e);
    }
  }

  /** The bin directory of the newest installed server, installing Debian's package when there is none. */
  static Path findOrInstall() throws IOException, InterruptedException {
    Path found = findBin();
    if (found != null) {
      return found;
    }
    Path tmp = Files.createTempDirectory("whatap-apt-");
    try {
      List<String> sudo = "root".equals(System.getProperty("user.name")) ? List.of() : List.of("sudo", "-n");
      List<String> update = new ArrayList<>(sudo);
      update.addAll(List.of("apt-get", "update", "-qq"));
      run(tmp, update, 600);
      List<String> install = new ArrayList<>(sudo);
      install.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq", "postgresql"));
      run(tmp, install, 900);
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL is not installed and 'apt-get install postgresql' failed"
          + " (the JDBC tests need a real server; install Debian's postgresql package): " + e.getMessage(), e);
    }
    found = findBin();
    if (found == null) {
      throw new IllegalStateException("apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb exists");
    }
    return found;
  }

  private static Path findBin() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
          .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())))
          .orElse(null);
    }
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** initdb and postgres refuse to run as root: run them as the package's postgres user. */
  private static List<String> asServerUser(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    out.addAll(command);
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void run(Path dir, List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
    Path out = Files.createTempFile("whatap-cmd-", ".log");
    try {
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(out.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s: "
            + readQuietly(out));
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + readQuietly(out));
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private static String readQuietly(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
