package io.whatap.demo;

import io.whatap.agent.LocalAgent;
import io.whatap.agent.settings.AgentSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The running demo: the local agent in this JVM, each demo app in a child JVM reporting to it, and
 * the traffic generator. {@link #close()} stops the traffic, the children (politely, then by force)
 * and the agent; the children also exit by themselves when this JVM dies (their stdin closes).
 */
public final class Demo implements AutoCloseable {
  /** Where the agent listens when these ports are free (the defaults apps use); else any free port. */
  public static final int PREFERRED_UDP_PORT = 6600;
  public static final int PREFERRED_HTTP_PORT = 6610;
  private static final long READY_TIMEOUT_SECONDS = 60;

  /**
   * @param home     where the apps' agent logs and the apps' output go
   * @param udpPort  the agent's UDP port; -1: 6600 when free, else any; 0: any
   * @param httpPort the dashboard's port; -1: 6610 when free, else any; 0: any
   * @param apps     the apps to start
   * @param workers  traffic generator threads (0: no traffic)
   */
  public record Options(Path home, int udpPort, int httpPort, List<DemoApps.AppSpec> apps, int workers,
      Map<String, String> agentOptions) {
  }

  /** A started app: what it is, its base URL, its process and its output file. */
  public record RunningApp(DemoApps.AppSpec spec, String url, Process process, Path log) {
  }

  private final Options options;
  private final LocalAgent agent;
  private final List<RunningApp> apps = new ArrayList<>();
  private TrafficGenerator traffic;
  private volatile boolean closed;

  private Demo(Options options, LocalAgent agent) {
    this.options = options;
    this.agent = agent;
  }

  /** Starts the agent, then every app (waiting until each serves), then the traffic. */
  public static Demo start(Options o) throws IOException, InterruptedException {
    Files.createDirectories(o.home().resolve("logs"));
    Map<String, String> agentOptions = new HashMap<>(o.agentOptions());
    agentOptions.put("net_udp_host", "127.0.0.1");
    agentOptions.put("net_udp_port", String.valueOf(port(o.udpPort(), PREFERRED_UDP_PORT, true)));
    agentOptions.put("agent_http_host", "127.0.0.1");
    agentOptions.put("agent_http_port", String.valueOf(port(o.httpPort(), PREFERRED_HTTP_PORT, false)));
    agentOptions.putIfAbsent("app_name", "(not yet named)");
    LocalAgent agent = LocalAgent.start(AgentSettings.of(agentOptions));
    Demo demo = new Demo(o, agent);
    try {
      demo.startApps();
      if (o.workers() > 0) {
        List<String> urls = new ArrayList<>();
        for (RunningApp a : demo.apps) {
          urls.add(a.url());
        }
        demo.traffic = new TrafficGenerator(urls, o.workers());
        demo.traffic.start();
      }
      return demo;
    } catch (IOException | InterruptedException | RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  private static int port(int requested, int preferred, boolean udp) {
    if (requested >= 0) {
      return requested;
    }
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), preferred);
    try {
      if (udp) {
        new DatagramSocket(at).close();
      } else {
        try (ServerSocket s = new ServerSocket()) {
          s.bind(at);
        }
      }
      return preferred;
    } catch (IOException e) {
      return 0; // taken (another agent or demo is running): any free port
    }
  }

  private void startApps() throws IOException, InterruptedException {
    List<DemoApps.AppSpec> specs = options.apps();
    // the apps call each other in a ring, so every port is chosen before any app starts
    int[] ports = new int[specs.size()];
    for (int i = 0; i < ports.length; i++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        ports[i] = s.getLocalPort();
      }
    }
    List<CompletableFuture<Integer>> ready = new ArrayList<>();
    for (int i = 0; i < specs.size(); i++) {
      DemoApps.AppSpec spec = specs.get(i);
      String peer = spec.peer() >= 0 && spec.peer() < ports.length ? url(ports[spec.peer()]) : "";
      Path log = options.home().resolve("logs").resolve(spec.appName() + ".log");
      Files.deleteIfExists(log);
      Process p = new ProcessBuilder(command(spec, ports[i], peer))
          .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      apps.add(new RunningApp(spec, url(ports[i]), p, log));
      ready.add(pumpOutput(p, log));
    }
    for (int i = 0; i < apps.size(); i++) {
      RunningApp a = apps.get(i);
      try {
        ready.get(i).get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new IOException(a.spec().appName() + " (" + a.spec().kind() + ") did not start within "
            + READY_TIMEOUT_SECONDS + " s; its output is in " + a.log() + ":\n" + tail(a.log()), e);
      }
    }
  }

  private static String url(int port) {
    return "http://127.0.0.1:" + port;
  }

  private List<String> command(DemoApps.AppSpec spec, int port, String peer) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx128m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Dwhatap.home=" + options.home().resolve(spec.appName()));
    cmd.add("-Dwhatap.app_name=" + spec.appName());
    cmd.add("-Dwhatap.app_process_name=" + spec.kind());
    cmd.add("-Dwhatap.net_udp_host=127.0.0.1");
    cmd.add("-Dwhatap.net_udp_port=" + agent.udpPort());
    cmd.add("-Dwhatap.banner_enabled=false");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(AppMain.class.getName());
    cmd.add(spec.kind());
    cmd.add(spec.appName());
    cmd.add(String.valueOf(port));
    cmd.add(peer);
    return cmd;
  }

  /** Copies the child's stdout into its log, completing the future at its READY line. */
  private static CompletableFuture<Integer> pumpOutput(Process p, Path log) {
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND)) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!ready.isDone() && line.startsWith(AppMain.READY)) {
            ready.complete(Integer.parseInt(line.substring(AppMain.READY.length()).trim()));
          }
          out.write(line);
          out.write('\n');
          out.flush();
        }
      } catch (IOException | RuntimeException e) {
        ready.completeExceptionally(e);
      }
      if (!ready.isDone()) {
        ready.completeExceptionally(new IOException("exited with status " + exitStatus(p)));
      }
    }, "demo-output-" + p.pid());
    t.setDaemon(true);
    t.start();
    return ready;
  }

  private static String exitStatus(Process p) {
    try {
      return p.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(p.exitValue()) : "(still running)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(unknown)";
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  public LocalAgent agent() {
    return agent;
  }

  public List<RunningApp> apps() {
    return List.copyOf(apps);
  }

  public TrafficGenerator traffic() {
    return traffic;
  }

  public String dashboardUrl() {
    return agent.dashboardUrl();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (traffic != null) {
      traffic.close();
    }
    for (RunningApp a : apps) {
      a.process().destroy();
    }
    for (RunningApp a : apps) {
      try {
        if (!a.process().waitFor(3, TimeUnit.SECONDS)) {
          a.process().destroyForcibly().waitFor(3, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        a.process().destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    agent.close();
  }
}
