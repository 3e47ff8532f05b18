package io.whatap.runtime;

import io.whatap.util.AgentLog;
import io.whatap.config.Config;
import io.whatap.config.ConfigLoader;
import io.whatap.trace.TraceContext;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The batch side of the agent: batch jobs ({@code Whatap.batch}, {@code @BatchProfiling}) are
 * transactions of a second agent in the same JVM, configured from the batch home and sending to
 * the batch agent process that {@code bin/whatap-start-batch} starts, as the seed does.
 *
 * <p>Its configuration, lowest precedence first: {@link #DEFAULTS}, {@code $WHATAP_BATCH_HOME/whatap.conf},
 * {@code WHATAP_BATCH_*} environment variables and {@code -Dwhatap.batch.*} system properties (the
 * application's {@code WHATAP_*} and {@code -Dwhatap.*} do not apply: they would point batch jobs
 * at the application's agent). The batch home is {@code -Dwhatap.batch.home}, else
 * {@code WHATAP_BATCH_HOME} (the seed's README), else {@code WHATAP_HOME_BATCH} (the seed's code).
 */
public final class BatchAgent {
  /** The batch agent listens beside the application's (6600), so its default port is the next one. */
  public static final Map<String, String> DEFAULTS = Map.of(
      "app_name", "batch",
      "app_process_name", "batch",
      "net_udp_port", "6601");

  static final String START_HINT = "start the batch agent with WHATAP_BATCH_HOME=<directory whose whatap.conf"
      + " holds license, whatap.server.host, app_name=batch, app_process_name=batch> bin/whatap-start-batch";

  private static volatile BatchAgent instance;

  private final Agent agent;
  private final Path home;
  private final AtomicBoolean checkedListener = new AtomicBoolean();

  private BatchAgent(Agent agent, Path home) {
    this.agent = agent;
    this.home = home;
  }

  /** The JVM's batch agent, started on the first job; without a batch home, jobs run untraced. */
  public static BatchAgent get() {
    BatchAgent b = instance;
    if (b == null) {
      synchronized (BatchAgent.class) {
        b = instance;
        if (b == null) {
          try {
            b = fromEnvironment(System.getenv(), System.getProperties());
          } catch (RuntimeException | Error e) {
            AgentLog.get().warnOnce("batch-agent-start", "the batch agent could not start; batch jobs run untraced", e);
            b = new BatchAgent(null, null);
          }
          instance = b;
        }
      }
    }
    return b;
  }

  static BatchAgent fromEnvironment(Map<String, String> env, Properties sys) {
    Path home = home(env, sys);
    if (home == null) {
      ensureLogConfigured();
      AgentLog.get().log(System.Logger.Level.WARNING, "batch jobs run untraced: neither WHATAP_BATCH_HOME nor"
          + " WHATAP_HOME_BATCH (nor -Dwhatap.batch.home) is set: set it to the batch home and " + START_HINT);
      return new BatchAgent(null, null);
    }
    return new BatchAgent(Agent.startStandalone(loader(home, env, sys)), home);
  }

  /** A separate, started batch agent over {@code home} (tests): close it with {@link #close()}. */
  public static BatchAgent start(Path home, Map<String, String> env, Properties sys) {
    return new BatchAgent(Agent.startStandalone(loader(home, env, sys)), home);
  }

  static Path home(Map<String, String> env, Properties sys) {
    for (String h : new String[] {sys.getProperty("whatap.batch.home"), env.get("WHATAP_BATCH_HOME"),
        env.get("WHATAP_HOME_BATCH")}) {
      if (h != null && !h.isBlank()) {
        return Paths.get(h.trim()).toAbsolutePath();
      }
    }
    return null;
  }

  /** WHATAP_BATCH_X=v reads as WHATAP_X=v and -Dwhatap.batch.x=v as -Dwhatap.x=v, for the batch agent only. */
  static ConfigLoader loader(Path home, Map<String, String> env, Properties sys) {
    Map<String, String> batchEnv = new HashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("WHATAP_BATCH_") && !k.equals("WHATAP_BATCH_HOME")) {
        batchEnv.put("WHATAP_" + k.substring("WHATAP_BATCH_".length()), e.getValue());
      }
    }
    Properties batchSys = new Properties();
    for (String k : sys.stringPropertyNames()) {
      if (k.startsWith("whatap.batch.") && !k.equals("whatap.batch.home")) {
        batchSys.setProperty("whatap." + k.substring("whatap.batch.".length()), sys.getProperty(k));
      }
    }
    Map<String, String> defaults = new HashMap<>(DEFAULTS);
    Path appLog = AgentLog.get().file();
    if (appLog != null) {
      defaults.put("log_dir", appLog.getParent().toString()); // one agent log per JVM, wherever it already is
    }
    return new ConfigLoader(home, defaults, batchEnv, batchSys);
  }

  private static void ensureLogConfigured() {
    if (AgentLog.get().file() == null) {
      AgentLog.get().configure(ConfigLoader.fromEnvironment().home().resolve("logs"), System.Logger.Level.INFO);
    }
  }

  /** The batch agent's core (tests configure it); null when there is no batch home. */
  public Agent agent() {
    return agent;
  }

  /**
   * Starts one run of {@code job} (not attached to the thread), or returns null when there is no
   * batch home. The first run says in the agent log how to start the batch agent when none listens.
   */
  public TraceContext start(String job) {
    if (agent == null) {
      return null;
    }
    if (checkedListener.compareAndSet(false, true)) {
      Config c = agent.config();
      if (nobodyListens(c.netUdpHost, c.netUdpPort)) {
        AgentLog.get().log(System.Logger.Level.WARNING, "no batch agent listens on " + c.netUdpHost + ":"
            + c.netUdpPort + " (from " + home.resolve("whatap.conf") + "): batch jobs still run and their"
            + " transactions are sent there; " + START_HINT);
      }
    }
    return agent.tracer.start(job);
  }

  /**
   * True when the UDP port is free on a local address, i.e. certainly no agent is bound to it.
   * For a remote host nothing can be told without sending, so it answers false.
   */
  static boolean nobodyListens(String host, int port) {
    try {
      InetAddress address = InetAddress.getByName(host);
      if (!address.isLoopbackAddress() && !address.isAnyLocalAddress()
          && NetworkInterface.getByInetAddress(address) == null) {
        return false;
      }
      try (DatagramSocket probe = new DatagramSocket(null)) {
        probe.setReuseAddress(false);
        probe.bind(new InetSocketAddress(address, port));
        return true;
      } catch (SocketException bound) {
        return false;
      }
    } catch (UnknownHostException | SocketException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Stops the JVM's batch agent, if a job started one, when the application's agent stops (its
   * last user gone): its threads must not outlive the web application that loaded it. The next
   * job starts it again.
   */
  static void stopShared() {
    synchronized (BatchAgent.class) {
      BatchAgent b = instance;
      instance = null;
      if (b != null) {
        b.close();
      }
    }
  }

  /** Stops a batch agent made by {@link #start}. */
  public void close() {
    if (agent != null) {
      agent.close();
    }
  }
}
