package io.whatap.config;

import io.whatap.util.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Builds {@link Config} snapshots from, lowest precedence first: defaults given by the caller (none
 * for the application's agent), {@code $WHATAP_HOME/whatap.conf},
 * programmatic overrides (filter init-params, tests), {@code WHATAP_*} environment variables
 * and {@code -Dwhatap.*} system properties. {@link #reloadIfChanged()} is called from the
 * agent's timer thread, never from a request.
 */
public final class ConfigLoader {
  private final Path home;
  private final Map<String, String> defaults;
  private final Map<String, String> env;
  private final Properties sys;
  private final Map<String, String> overrides = new LinkedHashMap<>();
  private final CopyOnWriteArrayList<Consumer<Config>> listeners = new CopyOnWriteArrayList<>();
  private final Set<String> reported = new HashSet<>();
  private volatile Config current;
  private long lastModified = Long.MIN_VALUE;
  private long lastSize = -1;
  private List<PropertiesFile.Problem> lastSkippedLines = List.of();

  public ConfigLoader(Path home, Map<String, String> env, Properties sys) {
    this(home, Map.of(), env, sys);
  }

  /**
   * A loader whose {@code defaults} sit below the file: what a second agent in the same JVM (the
   * batch agent) uses where its defaults differ from the application's.
   */
  public ConfigLoader(Path home, Map<String, String> defaults, Map<String, String> env, Properties sys) {
    this.home = home;
    this.defaults = Map.copyOf(defaults);
    this.env = env;
    this.sys = sys;
    this.current = build();
  }

  /** The loader for this JVM, over {@link #home(Map, Properties)}. */
  public static ConfigLoader fromEnvironment() {
    Map<String, String> env = System.getenv();
    Properties sys = System.getProperties();
    return new ConfigLoader(home(env, sys), env, sys);
  }

  /**
   * WHATAP_HOME: {@code -Dwhatap.home}, else the {@code WHATAP_HOME} variable, else the servlet
   * container's base directory ({@code -Dcatalina.base} for Tomcat, {@code -Djetty.base} for
   * Jetty), else the working directory. A container's base beats the working directory because
   * that is wherever the server was started from ({@code /} under systemd), while the base holds
   * the server's own conf/ and logs/.
   */
  public static Path home(Map<String, String> env, Properties sys) {
    for (String h : new String[] {sys.getProperty("whatap.home"), env.get("WHATAP_HOME"),
        sys.getProperty("catalina.base"), sys.getProperty("jetty.base")}) {
      if (h != null && !h.isBlank()) {
        return Paths.get(h.trim()).toAbsolutePath();
      }
    }
    return Paths.get("").toAbsolutePath();
  }

  public Path home() {
    return home;
  }

  public Path file() {
    Path p = home.resolve("whatap.conf");
    String f = sys.getProperty("whatap.config");
    return f == null || f.isBlank() ? p : Paths.get(f);
  }

  public Config current() {
    return current;
  }

  public void addListener(Consumer<Config> listener) {
    listeners.add(listener);
  }

  /** Sets options in code (above the file, below environment and system properties). */
  public synchronized Config override(Map<String, String> values) {
    overrides.putAll(values);
    return rebuild();
  }

  public synchronized Config clearOverrides() {
    overrides.clear();
    return rebuild();
  }

  /** Re-reads the file when its modification time or size changed; cheap when it did not. */
  public synchronized boolean reloadIfChanged() {
    Path f = file();
    long mod;
    long size;
    try {
      mod = Files.exists(f) ? Files.getLastModifiedTime(f).toMillis() : -1;
      size = mod == -1 ? -1 : Files.size(f);
    } catch (IOException e) {
      return false;
    }
    if (mod == lastModified && size == lastSize) {
      return false;
    }
    rebuild();
    return true;
  }

  private Config rebuild() {
    Config c = build();
    current = c;
    for (Consumer<Config> l : listeners) {
      try {
        l.accept(c);
      } catch (RuntimeException e) {
        AgentLog.get().warnOnce("config-listener", "a configuration listener failed", e);
      }
    }
    return c;
  }

  private Config build() {
    Map<String, String> values = new LinkedHashMap<>(defaults);
    Path f = file();
    try {
      if (Files.exists(f)) {
        lastModified = Files.getLastModifiedTime(f).toMillis();
        lastSize = Files.size(f);
        PropertiesFile file = PropertiesFile.read(f);
        for (Map.Entry<String, String> e : file.values.entrySet()) {
          values.put(e.getKey().trim(), e.getValue());
        }
        reportSkippedLines(f, file.problems);
      } else {
        lastModified = -1;
        lastSize = -1;
      }
    } catch (IOException | RuntimeException e) {
      AgentLog.get().warnOnce("config-read:" + f, "cannot read " + f + ": " + e.getMessage()
          + "; keeping the other sources", null);
    }
    values.putAll(overrides);
    for (Map.Entry<String, String> e : env.entrySet()) {
      String k = e.getKey();
      if (k.startsWith("WHATAP_") && !k.equals("WHATAP_HOME") && !k.startsWith("WHATAP_HOME_")
          && !k.equals("WHATAP_BATCH_HOME")) {
        values.put(envKey(k, values), e.getValue());
      }
    }
    for (String k : sys.stringPropertyNames()) {
      if (k.startsWith("whatap.") && !k.equals("whatap.home") && !k.equals("whatap.config")) {
        String key = k.equals("whatap.server.host") ? k : k.substring("whatap.".length());
        values.put(key, sys.getProperty(k));
      }
    }
    Config c = new Config(values);
    for (String problem : c.problems()) {
      if (reported.add(problem)) {
        AgentLog.get().log(System.Logger.Level.WARNING, "config: " + problem);
      }
    }
    return c;
  }

  /**
   * Logs each line the file lost, once: a rebuild without a file change (an override) or a reload
   * that finds the same lines broken says nothing new.
   */
  private void reportSkippedLines(Path f, List<PropertiesFile.Problem> problems) {
    if (problems.equals(lastSkippedLines)) {
      return;
    }
    lastSkippedLines = problems;
    for (PropertiesFile.Problem p : problems) {
      AgentLog.get().log(System.Logger.Level.WARNING, "config: " + skippedLine(f, p));
    }
  }

  private static String skippedLine(Path f, PropertiesFile.Problem p) {
    return f + " " + p + " (the rest of the file is kept)";
  }

  /**
   * The lines of whatap.conf the last read skipped, each with its number and reason, as the agent
   * log has them: for a process that reports them elsewhere (the local agent, on its console).
   */
  public synchronized List<String> skippedLines() {
    List<String> out = new ArrayList<>();
    for (PropertiesFile.Problem p : lastSkippedLines) {
      out.add(skippedLine(file(), p));
    }
    return out;
  }

  /** WHATAP_NET_UDP_PORT is net_udp_port; WHATAP_WHATAP_SERVER_HOST is whatap.server.host. */
  static String envKey(String envName, Map<String, String> known) {
    String lower = envName.substring("WHATAP_".length()).toLowerCase(Locale.ROOT);
    if (lower.equals("whatap_server_host")) {
      return "whatap.server.host";
    }
    for (String k : known.keySet()) {
      if (k.replace('.', '_').equalsIgnoreCase(lower)) {
        return k;
      }
    }
    return lower;
  }
}
