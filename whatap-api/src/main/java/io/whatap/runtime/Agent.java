package io.whatap.runtime;

import io.whatap.config.Config;
import io.whatap.config.ConfigLoader;
import io.whatap.http.HttpServerHandler;
import io.whatap.trace.ActiveRegistry;
import io.whatap.trace.Meters;
import io.whatap.trace.Tracer;
import io.whatap.util.AgentLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent of one class loader (the JVM's, when whatap-api is on the system class path):
 * configuration, tracer, sender, counter thread, back channel and the watch on the local agent,
 * started on first use. All of its threads are daemons; a shutdown hook sends what is queued
 * within one second.
 *
 * <p>Inside a container the agent lives as long as its users: {@link #acquire} (a
 * {@code WhatapFilter}'s init, a web application) counts one more, {@link #release} one fewer, and
 * the last release stops every thread the agent started ({@code whatap-sender},
 * {@code whatap-backchannel}, {@code whatap-timer}, {@code whatap-log}, the batch agent's), closes
 * its sockets and removes its shutdown hook, so that undeploying a web application leaves nothing
 * that pins its class loader. A later {@link #acquire} or {@link #get} starts a new agent. An agent
 * that {@link #get} started without any user (plain library use) runs until the JVM exits.
 */
public final class Agent {
  /** The version this jar was built as (Maven's project version, filtered into a resource at build). */
  public static final String VERSION = builtVersion();
  private static volatile Agent instance;
  /** Users of {@link #instance} (guarded by Agent.class): the last {@link #release} stops it. */
  private static int users;

  public final ConfigLoader loader;
  public final Meters meters = new Meters();
  public final ActiveRegistry active;
  public final UdpSender sender;
  public final Tracer tracer;
  public final HttpServerHandler http;
  final CounterTask counters;
  final BackChannel backChannel;
  final LocalAgentWatch watch;
  private final ScheduledThreadPoolExecutor timer;
  /** The timer's thread, joined by {@link #close}: a terminated executor's thread can still be alive a moment. */
  private volatile Thread timerThread;
  private ScheduledFuture<?> counterSchedule;
  private int counterInterval;
  private ScheduledFuture<?> watchSchedule;
  private long watchPeriod;
  private Thread shutdownHook;
  /** What the start-up line last said (timer thread and starter only, under this): said again when it changes. */
  private String startupLine;

  private Agent(ConfigLoader loader) {
    this.loader = loader;
    Config c = loader.current();
    configureLog(c);
    int pid = (int) ProcessHandle.current().pid();
    active = new ActiveRegistry(c.activeMax);
    sender = new UdpSender(loader::current, pid, meters, active);
    tracer = new Tracer(loader::current, meters, active, sender);
    http = new HttpServerHandler(tracer);
    counters = new CounterTask(loader::current, meters, active, sender);
    watch = new LocalAgentWatch(loader::current, sender::target, sender.datagramsSent::sum, sender.sendErrors::sum);
    backChannel = new BackChannel(loader::current, active, sender, watch);
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "whatap-timer");
      t.setDaemon(true);
      timerThread = t;
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** The agent of this class loader, started on first call (without a user: see {@link #acquire}). */
  public static Agent get() {
    Agent a = instance;
    if (a == null) {
      synchronized (Agent.class) {
        a = instance;
        if (a == null) {
          a = new Agent(ConfigLoader.fromEnvironment());
          a.start();
          instance = a;
        }
      }
    }
    return a;
  }

  /** The agent of this class loader if one runs, else null (starts nothing). */
  public static Agent running() {
    return instance;
  }

  /**
   * Counts one more user of this class loader's agent (a filter, a web application) and returns
   * the agent, started with {@code options} applied first when none runs (so that its start-up
   * line shows them), else with {@code options} applied now. Pair every call with {@link #release}.
   */
  public static Agent acquire(Map<String, String> options) {
    synchronized (Agent.class) {
      Agent a = instance;
      if (a == null) {
        ConfigLoader loader = ConfigLoader.fromEnvironment();
        if (!options.isEmpty()) {
          loader.override(options);
        }
        a = new Agent(loader);
        a.start();
        instance = a;
      } else if (!options.isEmpty()) {
        a.configure(options);
      }
      users++;
      return a;
    }
  }

  /**
   * One user of {@code agent} is gone; when it was the last, the agent stops: what is queued is
   * sent (at most 1 s), its threads end, the batch agent stops and the agent log closes. Releasing
   * an agent that was already stopped (or that {@link #acquire} never returned) does nothing.
   */
  public static void release(Agent agent) {
    synchronized (Agent.class) {
      if (agent == null || agent != instance || users == 0 || --users > 0) {
        return;
      }
      instance = null;
      AgentLog.get().info("WhaTap agent " + VERSION + ": its last user is gone; stopping its threads");
      agent.close();
      BatchAgent.stopShared();
      AgentLog.get().stop(1000);
    }
  }

  /** How many users hold this class loader's agent (tests). */
  static synchronized int users() {
    return users;
  }

  /**
   * A separate, started agent over {@code loader}: for tests and benchmarks that need their own
   * configuration and sockets. Applications use {@link #get()}. Close it with {@link #close()}.
   */
  public static Agent startStandalone(ConfigLoader loader) {
    Agent a = new Agent(loader);
    a.start();
    return a;
  }

  /**
   * Stops this agent: sends what is queued (at most 1 s), ends its threads (waiting for each, so
   * that a container looking for leftover threads right after finds none), closes its sockets and
   * removes its shutdown hook. The shared agent log keeps running (see {@link #release}).
   */
  public void close() {
    timer.shutdownNow();
    sender.shutdown(1000);
    backChannel.stop();
    watch.close();
    sender.closeChannel();
    try {
      timer.awaitTermination(1000, TimeUnit.MILLISECONDS);
      Thread t = timerThread;
      if (t != null && t != Thread.currentThread()) {
        t.join(1000); // a container checks for leftover threads right after the application stops
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Thread hook = shutdownHook;
    if (hook != null) {
      shutdownHook = null;
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException | SecurityException e) {
        // the JVM is exiting already: the hook runs anyway and finds the sender stopped
      }
    }
  }

  public Config config() {
    return loader.current();
  }

  /** Applies options in code (filter init-params, tests); takes effect at once. */
  public Config configure(Map<String, String> overrides) {
    return loader.override(overrides);
  }

  private void start() {
    loader.addListener(this::onConfig);
    sender.start();
    backChannel.start();
    Config c = loader.current();
    timer.scheduleWithFixedDelay(this::reloadConfig, c.configReloadMs, c.configReloadMs, TimeUnit.MILLISECONDS);
    scheduleCounters(c);
    scheduleWatch(c);
    Thread hook = new Thread(() -> {
      sender.shutdown(1000);
      AgentLog.get().flush(200);
    }, "whatap-shutdown-" + sender.pid());
    try {
      Runtime.getRuntime().addShutdownHook(hook);
      shutdownHook = hook;
    } catch (IllegalStateException | SecurityException e) {
      AgentLog.get().warnOnce("shutdown-hook", "no shutdown hook: queued telemetry may be lost at exit", null);
    }
    String line = startupLine(c);
    logStartupLine(line, "");
    if (c.banner) {
      System.err.println(line); // the one line the agent may print; banner_enabled=false silences it
    }
  }

  /** The configuration in force, as the start-up line shows it. */
  String startupLine(Config c) {
    return "WhaTap agent " + VERSION + ": app_name=" + c.appName + ", app_process_name=" + c.appProcessName
        + ", sending to " + c.netUdpHost + ":" + c.netUdpPort + (c.enabled ? "" : ", tracing disabled (enabled=false)")
        + ", home " + loader.home() + ", log " + AgentLog.get().file();
  }

  /** Logs {@code line} unless it is what the log said last: a configuration change that shows is logged again. */
  private synchronized void logStartupLine(String line, String prefix) {
    if (!line.equals(startupLine)) {
      startupLine = line;
      AgentLog.get().info(prefix + line);
    }
  }

  private void reloadConfig() {
    try {
      loader.reloadIfChanged();
    } catch (RuntimeException e) {
      AgentLog.get().warnOnce("config-reload", "re-reading the configuration failed", e);
    }
  }

  private synchronized void scheduleCounters(Config c) {
    if (counterSchedule != null && counterInterval == c.counterIntervalMs) {
      return;
    }
    if (counterSchedule != null) {
      counterSchedule.cancel(false);
    }
    counterInterval = c.counterIntervalMs;
    counterSchedule = timer.scheduleAtFixedRate(counters, c.counterIntervalMs, c.counterIntervalMs,
        TimeUnit.MILLISECONDS);
  }

  private synchronized void scheduleWatch(Config c) {
    long period = LocalAgentWatch.checkPeriodMs(c.netAgentSilentWarnMs);
    if (watchSchedule != null && watchPeriod == period) {
      return;
    }
    if (watchSchedule != null) {
      watchSchedule.cancel(false);
      watchSchedule = null;
    }
    watchPeriod = period;
    if (period > 0) {
      watchSchedule = timer.scheduleWithFixedDelay(watch, period, period, TimeUnit.MILLISECONDS);
    }
  }

  private void onConfig(Config c) {
    configureLog(c);
    scheduleCounters(c);
    scheduleWatch(c);
    if (startupLine != null) { // not before start() wrote the first one
      logStartupLine(startupLine(c), "configuration changed: ");
    }
  }

  /**
   * log_dir, else $WHATAP_HOME/logs; a log_dir where no log file can be opened falls back to
   * $WHATAP_HOME/logs, and that to the system temp dir (the log says why, once).
   */
  private void configureLog(Config c) {
    Path fallback = loader.home().resolve("logs");
    Path dir = fallback;
    String custom = c.get("log_dir");
    String unusable = null;
    if (custom != null && !custom.isBlank()) {
      try {
        dir = Path.of(custom.trim());
      } catch (InvalidPathException e) {
        unusable = e.getReason();
      }
    }
    AgentLog.get().configure(dir, fallback, level(c.logLevel));
    if (unusable != null) {
      AgentLog.get().warnOnce("config:log_dir", "log_dir=" + custom + ": not a usable path (" + unusable
          + "); using the default " + dir, null);
    }
  }

  private static System.Logger.Level level(String name) {
    switch (name) {
      case "ERROR": return System.Logger.Level.ERROR;
      case "WARNING": return System.Logger.Level.WARNING;
      case "DEBUG": return System.Logger.Level.DEBUG;
      case "TRACE": return System.Logger.Level.TRACE;
      default: return System.Logger.Level.INFO;
    }
  }

  private static String builtVersion() {
    try (InputStream in = Agent.class.getResourceAsStream("agent-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "").trim();
        if (!v.isEmpty() && !v.startsWith("${")) {
          return v;
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // an unreadable resource must not stop the agent; the version is only shown
    }
    return "unknown";
  }
}
