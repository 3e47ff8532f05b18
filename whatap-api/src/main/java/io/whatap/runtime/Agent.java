package io.whatap.runtime;

import io.whatap.util.AgentLog;
import io.whatap.config.Config;
import io.whatap.config.ConfigLoader;
import io.whatap.http.HttpServerHandler;
import io.whatap.trace.ActiveRegistry;
import io.whatap.trace.Meters;
import io.whatap.trace.Tracer;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The agent inside one JVM: configuration, tracer, sender, counter thread and back channel,
 * started once on first use. All of its threads are daemons; a shutdown hook sends what is
 * queued within one second.
 */
public final class Agent {
  public static final String VERSION = "0.1.0";
  private static volatile Agent instance;

  public final ConfigLoader loader;
  public final Meters meters = new Meters();
  public final ActiveRegistry active;
  public final UdpSender sender;
  public final Tracer tracer;
  public final HttpServerHandler http;
  public final CounterTask counters;
  public final BackChannel backChannel;
  private final ScheduledThreadPoolExecutor timer;
  private ScheduledFuture<?> counterSchedule;
  private int counterInterval;

  private Agent(ConfigLoader loader) {
    this.loader = loader;
    Config c = loader.current();
    configureLog(c);
    int pid = (int) ProcessHandle.current().pid();
    active = new ActiveRegistry(c.activeMax);
    sender = new UdpSender(loader::current, pid);
    tracer = new Tracer(loader::current, meters, active, sender);
    http = new HttpServerHandler(tracer);
    counters = new CounterTask(loader::current, meters, active, sender);
    backChannel = new BackChannel(loader::current, active, sender);
    timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "whatap-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** The agent of this JVM, started on first call. */
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

  /**
   * A separate, started agent over {@code loader}: for tests and benchmarks that need their own
   * configuration and sockets. Applications use {@link #get()}. Close it with {@link #close()}.
   */
  public static Agent startStandalone(ConfigLoader loader) {
    Agent a = new Agent(loader);
    a.start();
    return a;
  }

  /** Stops a standalone agent: sends what is queued (at most 1 s) and stops its threads. */
  public void close() {
    timer.shutdownNow();
    sender.shutdown(1000);
    backChannel.stop();
    sender.closeChannel();
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
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        sender.shutdown(1000);
        AgentLog.get().flush(200);
      }, "whatap-shutdown-" + sender.pid()));
    } catch (IllegalStateException | SecurityException e) {
      AgentLog.get().warnOnce("shutdown-hook", "no shutdown hook: queued telemetry may be lost at exit", null);
    }
    String line = "WhaTap agent " + VERSION + ": app_name=" + c.appName + ", sending to " + c.netUdpHost + ":"
        + c.netUdpPort + ", log " + AgentLog.get().file();
    AgentLog.get().info(line);
    if (c.banner) {
      System.err.println(line); // the one line the agent may print; banner_enabled=false silences it
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

  private void onConfig(Config c) {
    configureLog(c);
    scheduleCounters(c);
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
}
