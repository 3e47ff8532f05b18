package io.whatap.agent.adversarial;

import io.whatap.agent.AgentMain;
import io.whatap.testing.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local agent as its own process ({@link AgentMain} in a forked JVM on this test's class path),
 * under a fixed small heap and optionally a lowered file-descriptor limit, with its stdout and
 * stderr (the agent log) collected. Ports are chosen by the agent (0) and read from its start line.
 */
final class ForkedAgent implements AutoCloseable {
  private static final Pattern STARTED = Pattern.compile("^whatap-agent: home .*, UDP [^ ]*:(\\d+), dashboard http://[^/]*:(\\d+)/");

  /** Bounds that fit -Xmx128m (the defaults plan about 170 MB, 195 with the store: docs/local-agent.md, Security). */
  static final Map<String, String> FITS_128M = Map.of("agent_pending_memory_mb", "8", "agent_names_memory_mb", "4",
      "agent_profile_memory_mb", "16", "agent_apps_max", "16", "agent_active_poll_ms", "0");

  final Process process;
  final int udpPort;
  final int httpPort;
  private final StringBuffer log = new StringBuffer();

  private ForkedAgent(Process process, Duration startWithin) throws IOException {
    this.process = process;
    int[] ports = new int[2];
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          Matcher m = STARTED.matcher(line);
          if (m.find()) {
            synchronized (ports) {
              ports[0] = Integer.parseInt(m.group(1));
              ports[1] = Integer.parseInt(m.group(2));
            }
          }
          log.append(line).append('\n');
        }
      } catch (IOException e) {
        log.append("(reading the agent's output failed: ").append(e).append(")\n");
      }
    }, "forked-agent-output");
    reader.setDaemon(true);
    reader.start();
    awaitTrue("the forked agent reports its start", startWithin, () -> {
      synchronized (ports) {
        return ports[1] != 0 || !process.isAlive();
      }
    });
    if (!process.isAlive()) {
      throw new IllegalStateException("the forked agent exited with " + process.exitValue() + ":\n" + log);
    }
    synchronized (ports) {
      udpPort = ports[0];
      httpPort = ports[1];
    }
  }

  /**
   * Starts an agent with {@code -Xmx}{@code heapMb}m, at most {@code openFiles} descriptors (0: the
   * inherited limit) and these whatap options (as -Dwhatap.key=value), in an empty home.
   */
  static ForkedAgent start(Path home, int heapMb, int openFiles, Map<String, String> options) throws IOException {
    return start(home, heapMb, openFiles, options, Set.of());
  }

  /**
   * As {@link #start(Path, int, int, Map)}, with these class files (e.g.
   * {@code io/whatap/wire/DbConnPoolPack.class}) left out of the agent's class path: the first use of
   * one of them throws a NoClassDefFoundError, an Error that can be provoked on demand.
   */
  static ForkedAgent start(Path home, int heapMb, int openFiles, Map<String, String> options, Set<String> leftOut)
      throws IOException {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("net_udp_port", "0");
    all.put("agent_http_port", "0");
    all.putAll(FITS_128M);
    all.put("agent_store_enabled", "false"); // unless a test asks for it (StoreCrashTest)
    all.putAll(options);
    List<String> java = new ArrayList<>();
    java.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    java.add("-Xmx" + heapMb + "m");
    java.add("-XX:TieredStopAtLevel=1"); // a short-lived process on a shared machine: start fast
    java.add("-Dwhatap.home=" + home);
    for (Map.Entry<String, String> e : all.entrySet()) {
      java.add("-Dwhatap." + e.getKey() + "=" + e.getValue());
    }
    java.add("-cp");
    java.add(jarredClassPath(home, leftOut));
    java.add(AgentMain.class.getName());
    List<String> command = java;
    if (openFiles > 0) {
      StringBuilder sh = new StringBuilder("ulimit -n " + openFiles + " && exec");
      for (String a : java) {
        sh.append(" '").append(a.replace("'", "'\\''")).append('\'');
      }
      command = List.of("sh", "-c", sh.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      return new ForkedAgent(p, Duration.ofSeconds(60));
    } catch (RuntimeException | IOException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /**
   * This JVM's class path with each directory (target/classes...) packed into a jar in {@code home}:
   * the agent runs from jars as it does in production (whatap-agent.jar). Loading a class from a
   * directory opens a file, which fails once descriptors run out; from an open jar it does not.
   * A jar holding one of the {@code leftOut} entries is copied without them.
   */
  private static String jarredClassPath(Path home, Set<String> leftOut) throws IOException {
    StringBuilder cp = new StringBuilder();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Paths.get(entry);
      String use = entry;
      if (java.nio.file.Files.isDirectory(p)) {
        Path jar = home.resolve("classes-" + (n++) + ".jar");
        if (!java.nio.file.Files.exists(jar)) {
          try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar));
              java.util.stream.Stream<Path> files = java.nio.file.Files.walk(p)) {
            for (Path f : (Iterable<Path>) files.filter(java.nio.file.Files::isRegularFile)::iterator) {
              String name = p.relativize(f).toString().replace('\\', '/');
              if (!leftOut.contains(name)) {
                out.putNextEntry(new java.util.jar.JarEntry(name));
                java.nio.file.Files.copy(f, out);
                out.closeEntry();
              }
            }
          }
        }
        use = jar.toString();
      } else if (!leftOut.isEmpty() && entry.endsWith(".jar") && java.nio.file.Files.isRegularFile(p)) {
        use = withoutEntries(p, home.resolve("classes-" + (n++) + ".jar"), leftOut).toString();
      }
      cp.append(cp.length() == 0 ? "" : java.io.File.pathSeparator).append(use);
    }
    return cp.toString();
  }

  /** {@code jar} itself when it holds none of {@code leftOut}, else a copy at {@code copy} without them. */
  private static Path withoutEntries(Path jar, Path copy, Set<String> leftOut) throws IOException {
    try (java.util.jar.JarFile in = new java.util.jar.JarFile(jar.toFile())) {
      if (leftOut.stream().noneMatch(name -> in.getEntry(name) != null)) {
        return jar;
      }
      try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(copy))) {
        for (java.util.jar.JarEntry e : (Iterable<java.util.jar.JarEntry>) in.stream()::iterator) {
          if (!e.isDirectory() && !leftOut.contains(e.getName())) {
            out.putNextEntry(new java.util.jar.JarEntry(e.getName()));
            in.getInputStream(e).transferTo(out);
            out.closeEntry();
          }
        }
      }
      return copy;
    }
  }

  /** What the agent wrote so far (stdout and stderr: its log). */
  String log() {
    return log.toString();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** A GET on the agent's HTTP port, answered or not within {@code timeout}. */
  Response get(String path, String host, Duration timeout) throws IOException {
    return request(httpPort, path, host, Map.of(), timeout);
  }

  Response get(String path) throws IOException {
    return get(path, "127.0.0.1:" + httpPort, Duration.ofSeconds(20));
  }

  /** A raw HTTP/1.1 GET (a client that sets any Host and headers it likes, as an attacker's would). */
  static Response request(int port, String path, String host, Map<String, String> headers, Duration timeout)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      OutputStream out = s.getOutputStream();
      out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int headEnd = all.indexOf("\r\n\r\n");
      if (headEnd < 0) {
        throw new IOException("no complete response: " + all);
      }
      String[] lines = all.substring(0, headEnd).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> h = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int c = lines[i].indexOf(':');
        h.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
      }
      String body = all.substring(headEnd + 4);
      if ("chunked".equalsIgnoreCase(h.get("transfer-encoding"))) {
        throw new IOException("a chunked response (the agent sends Content-Length): " + h);
      }
      return new Response(status, h, body);
    }
  }

  record Response(int status, Map<String, String> headers, String body) {
  }

  static void awaitTrue(String what, Duration within, BooleanSupplier condition) {
    Await.until(what, within, condition);
  }


  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** A GET on a kept-alive connection to this agent; returns the status after reading the whole response. */
  int keepAliveGet(Socket s, String path) throws IOException {
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + httpPort + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    java.io.InputStream in = s.getInputStream();
    java.io.ByteArrayOutputStream head = new java.io.ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed in the response head: " + head);
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    Matcher length = CONTENT_LENGTH.matcher(text);
    if (!length.find()) {
      throw new IOException("no Content-Length in " + text);
    }
    in.readNBytes(Integer.parseInt(length.group(1)));
    return Integer.parseInt(text.split(" ")[1]);
  }

  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)");
}
