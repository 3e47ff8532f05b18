package io.whatap.agent.settings;

import io.whatap.config.Config;
import io.whatap.config.ConfigLoader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The local agent's options, read once at start from the same whatap.conf (and WHATAP_* / -Dwhatap.*)
 * that the applications read: the UDP address is the applications' {@code net_udp_host:net_udp_port};
 * the rest are {@code agent_*} keys. A bad value falls back to its default and is listed in
 * {@link #problems()}.
 */
public final class AgentSettings {
  public final String udpHost;
  public final int udpPort;
  public final int udpMaxBytes;
  public final int udpReceiveBufferBytes;
  public final String httpHost;
  public final int httpPort;
  public final String token;
  public final String defaultAppName;
  public final int intervalMs;
  public final int historyIntervals;
  public final int nameWindowIntervals;
  public final int namesMax;
  public final int appsMax;
  public final int recentMax;
  public final int keptMax;
  public final int slowMs;
  public final int profileStepsMax;
  public final int textMax;
  public final long profileMemoryBytes;
  public final int pendingMax;
  public final int pendingTimeoutMs;
  public final int hitmapMax;
  public final int activePollMs;
  public final int stackAfterMs;
  public final boolean offerStartEnd;
  /** Whether processes are offered stats mode (agent_offer_stats, {@link io.whatap.wire.StatsOffer}). */
  public final boolean offerStats;
  /** A thread dump of one process is asked at most once per this many ms; requests in between are refused (429). */
  public final int threadDumpIntervalMs;
  /** How long a thread-dump request waits for the application's answer before answering 504. */
  public final int threadDumpTimeoutMs;
  /** Bytes all pending (unended) transactions may hold together, their steps included. */
  public final long pendingMemoryBytes;
  /** Bytes one pending transaction may hold; further steps are dropped and counted. */
  public final long txMemoryBytes;
  /** Bytes the per-name statistics of all applications may hold (names, windows and totals). */
  public final long namesMemoryBytes;
  /** Characters kept of a transaction name (the key of the per-name statistics). */
  public final int nameMaxChars;
  /** Bytes of text one application's reports may hold: active list, stacks, counters, pool. */
  public final long appMemoryBytes;
  /** Active-transaction bands kept from an ACTIVE_STATS pack (WhaTap agents send five). */
  public final int bandsMax;
  /** Fields kept from a counter pack. */
  public final int counterFieldsMax;
  /** Entries kept from an application's active-transaction list. */
  public final int activeListMax;
  /** HTTP connections served at once; more are closed at once. */
  public final int httpConnectionsMax;
  /** Seconds a connection may stay idle (no byte read or written) before it is closed. */
  public final int httpIdleTimeoutSec;
  /**
   * Seconds a connection has to deliver a whole request, from its opening or from the previous
   * answer: the idle timeout restarts on every byte, so a client trickling bytes needs this bound.
   */
  public final int httpRequestTimeoutSec;
  /** Host names (besides loopback and agent_http_host) the dashboard answers to. */
  public final List<String> httpAllowedHosts;
  /** The shared secret datagrams must be signed with (net_udp_secret), or "" for none. */
  public final String udpSecret;
  /** Transaction names per application with series of their own on /metrics; the rest are {@code name="other"}. */
  public final int metricsNamesMax;
  /** Milliseconds after which an application not heard from leaves /metrics. */
  public final long metricsStaleMs;
  /** Whether /metrics also carries the deprecated names of 0.1 (labelled {@code app} and {@code pid}). */
  public final boolean metricsLegacy;
  /** The export_* options (spans to OTLP and Zipkin). */
  public final ExportSettings export;
  /** Whether history is kept in the embedded store (agent_store_enabled); false: in memory only. */
  public final boolean storeEnabled;
  /** Where the store lives (agent_store_dir, default $WHATAP_HOME/data). */
  public final Path storeDir;
  /** Days the store keeps anything (agent_store_retention_days). */
  public final int storeRetentionDays;
  /** Bytes the store may take on disk (agent_store_max_mb); the oldest data goes first. */
  public final long storeMaxBytes;
  /** Bytes of completed transactions waiting for the store's writer (agent_store_queue_mb); more are dropped and counted. */
  public final long storeQueueBytes;
  /** Transactions (with their steps) the store keeps per interval: failed and slow first, then a sample. */
  public final int storeTxPerInterval;
  private final List<String> problems = new ArrayList<>();

  public AgentSettings(Config c) {
    this(c, ConfigLoader.home(System.getenv(), System.getProperties()));
  }

  /** The settings of {@code c}, with relative paths (agent_store_dir) under {@code home}. */
  public AgentSettings(Config c, Path home) {
    udpHost = c.netUdpHost;
    // 0 (any free port: tests, a forked agent that reports its port) is the agent's own to ask for;
    // the applications' loader refuses it, since they must know where to send
    String port = c.get("net_udp_port");
    udpPort = port != null && port.trim().equals("0") ? 0 : c.netUdpPort;
    udpMaxBytes = integer(c, "agent_udp_max_bytes", 65535, 512, 65535);
    udpReceiveBufferBytes = integer(c, "agent_udp_receive_buffer_bytes", 4 << 20, 64 << 10, 256 << 20);
    httpHost = c.get("agent_http_host", "127.0.0.1").trim();
    httpPort = integer(c, "agent_http_port", 6610, 0, 65535);
    token = c.get("agent_token", "").trim();
    defaultAppName = c.appName;
    intervalMs = integer(c, "agent_interval_ms", 5000, 200, 60_000);
    historyIntervals = integer(c, "agent_history_intervals", 720, 12, 100_000);
    nameWindowIntervals = integer(c, "agent_name_window_intervals", 12, 1, 1000);
    namesMax = integer(c, "agent_names_max", 500, 10, 100_000);
    appsMax = integer(c, "agent_apps_max", 64, 1, 10_000);
    recentMax = integer(c, "agent_recent_max", 500, 10, 100_000);
    keptMax = integer(c, "agent_kept_max", 200, 0, 100_000);
    slowMs = integer(c, "agent_slow_ms", 1000, 1, 3_600_000);
    profileStepsMax = integer(c, "agent_profile_steps_max", 500, 0, 100_000);
    textMax = integer(c, "agent_text_max", 8192, 64, 65535);
    profileMemoryBytes = integer(c, "agent_profile_memory_mb", 64, 1, 65_536) * 1024L * 1024L;
    pendingMax = integer(c, "agent_pending_max", 10_000, 10, 1_000_000);
    pendingTimeoutMs = integer(c, "agent_pending_timeout_ms", 600_000, 1000, 86_400_000);
    hitmapMax = integer(c, "agent_hitmap_max", 20_000, 100, 1_000_000);
    activePollMs = integer(c, "agent_active_poll_ms", 2000, 0, 600_000);
    stackAfterMs = integer(c, "agent_stack_after_ms", 3000, 0, 3_600_000);
    offerStartEnd = bool(c, "agent_offer_start_end", true);
    offerStats = bool(c, "agent_offer_stats", true);
    threadDumpIntervalMs = integer(c, "agent_thread_dump_interval_ms", 5000, 0, 3_600_000);
    threadDumpTimeoutMs = integer(c, "agent_thread_dump_timeout_ms", 5000, 100, 60_000);
    pendingMemoryBytes = integer(c, "agent_pending_memory_mb", 16, 1, 65_536) * 1024L * 1024L;
    // one transaction never holds more than all pending ones may
    txMemoryBytes = Math.min(pendingMemoryBytes, integer(c, "agent_tx_memory_kb", 1024, 16, 1_048_576) * 1024L);
    namesMemoryBytes = integer(c, "agent_names_memory_mb", 16, 1, 65_536) * 1024L * 1024L;
    nameMaxChars = integer(c, "agent_name_max_chars", 512, 16, 65535);
    appMemoryBytes = integer(c, "agent_app_memory_kb", 256, 16, 1_048_576) * 1024L;
    bandsMax = integer(c, "agent_bands_max", 16, 1, 1024);
    counterFieldsMax = integer(c, "agent_counter_fields_max", 128, 1, 10_000);
    activeListMax = integer(c, "agent_active_list_max", 200, 1, 100_000);
    httpConnectionsMax = integer(c, "agent_http_connections_max", 64, 1, 100_000);
    httpIdleTimeoutSec = integer(c, "agent_http_idle_timeout_sec", 30, 1, 86_400);
    httpRequestTimeoutSec = integer(c, "agent_http_request_timeout_sec", 20, 1, 86_400);
    httpAllowedHosts = hostList(c.get("agent_http_allowed_hosts", ""));
    udpSecret = c.get("net_udp_secret", "").trim();
    metricsNamesMax = integer(c, "agent_metrics_names_max", 20, 0, 10_000);
    metricsStaleMs = integer(c, "agent_metrics_stale_sec", 60, 5, 86_400) * 1000L;
    metricsLegacy = bool(c, "agent_metrics_legacy", true);
    export = new ExportSettings(c, slowMs, problems);
    storeEnabled = bool(c, "agent_store_enabled", true);
    String dir = c.get("agent_store_dir", "").trim();
    storeDir = dir.isEmpty() ? home.resolve("data") : home.resolve(dir);
    storeRetentionDays = integer(c, "agent_store_retention_days", 7, 1, 3650);
    storeMaxBytes = integer(c, "agent_store_max_mb", 1024, 1, 1_048_576) * 1024L * 1024L;
    storeQueueBytes = integer(c, "agent_store_queue_mb", 8, 1, 4096) * 1024L * 1024L;
    storeTxPerInterval = integer(c, "agent_store_tx_per_interval", 500, 0, 100_000);
  }

  private static List<String> hostList(String v) {
    List<String> out = new ArrayList<>();
    for (String h : v.split(",")) {
      String t = h.trim().toLowerCase(java.util.Locale.ROOT);
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /** {@code s} cut to agent_name_max_chars (a transaction name: the key of the per-name statistics). */
  public String cutName(String s) {
    return cut(s, nameMaxChars);
  }

  /**
   * Settings from defaults plus {@code options} (tests, the demo, benchmarks): unlike a configuration
   * file, the store is off unless {@code options} turn it on (agent_store_enabled=true, with
   * agent_store_dir), so that an agent made in a test never writes into the working directory.
   */
  public static AgentSettings of(Map<String, String> options) {
    Map<String, String> all = new java.util.HashMap<>(options);
    all.putIfAbsent("agent_store_enabled", "false");
    return new AgentSettings(new Config(all));
  }

  /**
   * {@code s} cut to agent_text_max characters (a surrogate pair is not split), with an ellipsis
   * when cut: every text an application sends passes here before the agent keeps it.
   */
  public String cut(String s) {
    return cut(s, textMax);
  }

  private static String cut(String s, int max) {
    if (s == null || s.length() <= max) {
      return s;
    }
    int end = max;
    if (Character.isHighSurrogate(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(0, end) + "…";
  }

  /** The window in which an application counts as live: three intervals, at least 15 s. */
  public long liveWindowMs() {
    return 3L * Math.max(intervalMs, 5000);
  }

  /** Values that could not be used ("key=value: why; using the default"). */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  /**
   * Refuses a dashboard reachable from other hosts without a token: the dashboard shows URLs, SQL
   * and stacks of the applications.
   *
   * @throws IllegalArgumentException naming the options to set
   */
  public void validate() {
    if (!isLoopback(httpHost) && token.isEmpty()) {
      throw new IllegalArgumentException("agent_http_host=" + httpHost + " is not a loopback address: set"
          + " agent_token=<secret> (the dashboard and API then require 'Authorization: Bearer <secret>'"
          + " or '?token=<secret>'), or bind to 127.0.0.1");
    }
  }

  /** Whether {@code host} is localhost or a loopback literal (names other than localhost are not resolved). */
  public static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // Only literal addresses are resolved here: a name could resolve differently later.
      boolean literal = !host.isEmpty()
          && (host.indexOf(':') >= 0 || host.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9')));
      if (literal) {
        return InetAddress.getByName(host).isLoopbackAddress();
      }
    } catch (UnknownHostException e) {
      return false;
    }
    return false;
  }

  private boolean bool(Config c, String key, boolean def) {
    String v = c.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    Boolean b = Config.parseBoolean(v);
    if (b == null) {
      problems.add(key + "=" + v + ": not a boolean (true/false); using the default " + def);
      return def;
    }
    return b;
  }

  private int integer(Config c, String key, int def, int min, int max) {
    return integer(c, key, def, min, max, problems);
  }

  static int integer(Config c, String key, int def, int min, int max, List<String> problems) {
    String v = c.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.trim().replace("_", ""));
      if (n >= min && n <= max) {
        return (int) n;
      }
      problems.add(key + "=" + v + ": out of range [" + min + ", " + max + "]; using the default " + def);
    } catch (NumberFormatException e) {
      problems.add(key + "=" + v + ": not an integer; using the default " + def);
    }
    return def;
  }
}
