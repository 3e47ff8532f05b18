package io.whatap.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One immutable snapshot of the agent's configuration, with every option parsed once into a
 * typed field so that the request path reads plain fields. A reload builds a new snapshot.
 * Bad values fall back to the default; {@link #problems()} says which, and the loader logs
 * each one once.
 */
public final class Config {
  private final Map<String, String> raw;
  private final List<String> problems = new ArrayList<>();

  // identity (the seed's keys)
  public final String license;
  public final String serverHost;
  public final String appName;
  public final String appProcessName;

  // transport
  public final boolean enabled;
  public final String netUdpHost;
  public final int netUdpPort;
  /** Shared secret sealing every datagram (HMAC frame) for a local agent whose intake is beyond loopback; empty: none. */
  public final String netUdpSecret;
  public final int netUdpChunkBytes;
  public final int netSendQueueSize;
  public final int netSendBufferBytes;
  public final int netFlushMaxDelayMs;
  /** How long the local agent may stay silent before the agent log says so (0: never). */
  public final int netAgentSilentWarnMs;

  // counters, actives, back channel
  public final int counterIntervalMs;
  public final int activeMax;
  /** Four ascending bounds (ms) splitting active transactions into the five ACTIVE_STATS bands. */
  public final int[] activeBandsMs;
  public final int activeEvictMs;
  public final int configReloadMs;

  // transactions and steps
  public final int profileStepMax;
  public final int traceSamplingRate;
  public final boolean traceThreadCpu;
  public final int traceErrorStackDepth;
  public final boolean traceLogging;
  /** Stats mode: a transaction at least this slow leaves in full. */
  public final int profileBasetimeMs;
  /** Stats mode: a transaction with a status at or above this leaves in full (as any with an error). */
  public final int profileErrorStatusMin;
  /** Stats mode: transactions of one name sent in full as a sample, per interval. */
  public final int profileSamplePerName;
  /** Stats mode: while fewer transactions than this end in a second, each leaves in full. */
  public final int profileAllBelowTps;
  /** Stats mode: names with statistics of their own per interval; the rest are counted as one. */
  public final int statsNamesMax;
  /** A transaction still running after this has its TX_START sent then (0: only at its end). */
  public final int txStartSendAfterMs;
  public final int traceErrorStatusMin;
  public final int[] traceErrorStatusIgnore;

  // HTTP rules (compiled into HttpRules by the http package)
  public final List<String> ignoreUrlPrefixes;
  public final List<String> ignoreUrls;
  public final List<String> ignoreExtensions;
  public final boolean normalizeIds;
  public final List<String> normalizeUrls;
  public final List<String> captureHeaders;
  public final List<String> redactHeaders;
  public final String clientIpHeader;
  public final boolean traceUserAgent;
  public final boolean traceReferer;

  // multi-transaction tracing
  public final boolean mtraceEnabled;
  public final int mtraceRate;
  public final String mtraceCallerKey;
  public final String mtraceCalleeKey;
  public final String mtraceInfoKey;
  public final String mtracePoidKey;
  public final String mtraceSpecKey;
  public final String mtraceSpecKey1;
  public final boolean mtraceTraceparent;
  public final String mtraceSpec;

  // JDBC (whatap-jdbc and the javaagent's JDBC hooks)
  public final boolean traceJdbc;
  public final boolean profileSqlLiterals;
  public final boolean profileSqlParams;
  public final int profileSqlParamMax;
  public final boolean profileSqlFetchMessage;

  // method and batch profiling
  public final List<String> hookMethodPatterns;
  public final boolean methodProfilingOutsideTransaction;

  // logging
  public final String logLevel;
  public final boolean banner;

  public Config(Map<String, String> values) {
    this.raw = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    license = str("license", "");
    serverHost = str("whatap.server.host", "");
    appName = str("app_name", "java-app");
    appProcessName = str("app_process_name", "java");

    enabled = bool("enabled", true);
    netUdpHost = str("net_udp_host", "127.0.0.1");
    netUdpPort = integer("net_udp_port", 6600, 1, 65535);
    netUdpSecret = str("net_udp_secret", "");
    netUdpChunkBytes = integer("net_udp_chunk_bytes", 48 * 1024, 1024, 64 * 1024 - 64);
    netSendQueueSize = integer("net_send_queue_size", 8192, 16, 1 << 20);
    netSendBufferBytes = integer("net_udp_send_buffer_bytes", 4 * 1024 * 1024, 64 * 1024, 64 * 1024 * 1024);
    netFlushMaxDelayMs = integer("net_flush_max_delay_ms", 100, 1, 10_000);
    netAgentSilentWarnMs = integer("net_agent_silent_warn_ms", 60_000, 0, 86_400_000);

    counterIntervalMs = integer("counter_interval_ms", 5000, 500, 600_000);
    activeMax = integer("active_max", 4096, 16, 1 << 20);
    activeBandsMs = bands("active_bands_ms", "1000,3000,8000,15000");
    activeEvictMs = integer("active_evict_ms", 300_000, 1000, 86_400_000);
    configReloadMs = integer("config_reload_ms", 3000, 100, 3_600_000);

    profileStepMax = integer("profile_step_max", 1000, 0, 100_000);
    traceSamplingRate = integer("trace_sampling_rate", 100, 0, 100);
    traceThreadCpu = bool("trace_thread_cpu_enabled", false);
    traceErrorStackDepth = integer("trace_error_stack_depth", 50, 0, 10_000);
    traceLogging = bool("trace_logging_enabled", false);
    profileBasetimeMs = integer("profile_basetime_ms", 1000, 0, 86_400_000);
    profileErrorStatusMin = integer("profile_error_status_min", 500, 100, 1000);
    profileSamplePerName = integer("profile_sample_per_name", 5, 0, 1_000_000);
    profileAllBelowTps = integer("profile_all_below_tps", 200, 0, 10_000_000);
    statsNamesMax = integer("stats_names_max", 300, 1, 100_000);
    txStartSendAfterMs = integer("tx_start_send_after_ms", 1000, 0, 86_400_000);
    traceErrorStatusMin = integer("trace_error_status_min", 500, 100, 1000);
    traceErrorStatusIgnore = intList("trace_error_status_ignore", "");

    ignoreUrlPrefixes = list("trace_ignore_url_prefixes", "", false);
    ignoreUrls = list("trace_ignore_urls", "", false);
    ignoreExtensions = list("trace_ignore_extensions",
        "js,css,png,jpg,jpeg,gif,ico,svg,woff,woff2,ttf,eot,map,webp", true);
    normalizeIds = bool("trace_normalize_ids", true);
    normalizeUrls = list("trace_normalize_urls", "", false);
    captureHeaders = list("trace_http_headers", "", true);
    redactHeaders = list("trace_http_header_redact",
        "authorization,cookie,set-cookie,proxy-authorization", true);
    clientIpHeader = str("trace_http_client_ip_header_key", "x-forwarded-for").toLowerCase(Locale.ROOT);
    traceUserAgent = bool("trace_user_agent_enabled", true);
    traceReferer = bool("trace_referer_enabled", true);

    mtraceEnabled = bool("mtrace_enabled", true);
    mtraceRate = integer("mtrace_rate", 100, 0, 100);
    mtraceCallerKey = str("mtrace_caller_key", "x-wtap-mst").toLowerCase(Locale.ROOT);
    mtraceCalleeKey = str("mtrace_callee_key", "x-wtap-tx").toLowerCase(Locale.ROOT);
    mtraceInfoKey = str("mtrace_info_key", "x-wtap-inf").toLowerCase(Locale.ROOT);
    mtracePoidKey = str("mtrace_poid_key", "x-wtap-po").toLowerCase(Locale.ROOT);
    mtraceSpecKey = str("mtrace_spec_key", "x-wtap-sp").toLowerCase(Locale.ROOT);
    mtraceSpecKey1 = str("mtrace_spec_key1", "x-wtap-sp1").toLowerCase(Locale.ROOT);
    mtraceTraceparent = bool("mtrace_traceparent_enabled", true);
    mtraceSpec = str("mtrace_spec", "");

    traceJdbc = bool("trace_jdbc_enabled", true);
    profileSqlLiterals = bool("profile_sql_literals", false);
    profileSqlParams = bool("profile_sql_params", false);
    profileSqlParamMax = integer("profile_sql_param_max", 256, 0, 32 * 1024);
    profileSqlFetchMessage = bool("profile_sql_fetch_message", false);

    hookMethodPatterns = list("hook_method_patterns", "", false);
    methodProfilingOutsideTransaction = bool("method_profiling_outside_transaction", true);

    logLevel = choice("log_level", "INFO", "ERROR", "WARNING", "INFO", "DEBUG", "TRACE");
    banner = bool("banner_enabled", true);
  }

  public static Config defaults() {
    return new Config(Map.of());
  }

  /** The raw value of any key (including ones the core does not know, for adapters). */
  public String get(String key) {
    return raw.get(key);
  }

  public String get(String key, String def) {
    String v = raw.get(key);
    return v == null ? def : v;
  }

  public Map<String, String> raw() {
    return raw;
  }

  /** What a key's name contains, once lower-cased and stripped of '_', '.' and '-', when its value is a secret. */
  private static final String[] SECRET_NAME_PARTS = {"token", "password", "passwd", "pwd", "secret", "credential",
      "apikey", "privatekey", "license", "licence"};

  /**
   * True when {@code key} names a secret (agent_token, db_password, x_api_secret, api-key,
   * private.key, license, ...): its value must never leave the process or reach a log.
   */
  public static boolean namesSecret(String key) {
    StringBuilder letters = new StringBuilder(key.length());
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        letters.append(Character.toLowerCase(c));
      }
    }
    for (String part : SECRET_NAME_PARTS) {
      if (letters.indexOf(part) >= 0) {
        return true;
      }
    }
    return false;
  }

  /** "key=value: why, using default" lines for values that could not be used. */
  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  public boolean isErrorStatus(int status) {
    if (status < traceErrorStatusMin) {
      return false;
    }
    for (int s : traceErrorStatusIgnore) {
      if (s == status) {
        return false;
      }
    }
    return true;
  }

  private String str(String key, String def) {
    String v = raw.get(key);
    return v == null ? def : v.trim();
  }

  private boolean bool(String key, boolean def) {
    String v = raw.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    Boolean b = parseBoolean(v);
    if (b == null) {
      bad(key, v, "not a boolean (true/false)", String.valueOf(def));
      return def;
    }
    return b;
  }

  /** true/yes/on/1 and false/no/off/0, any case, trimmed; null for anything else. */
  public static Boolean parseBoolean(String v) {
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on": case "1":
        return Boolean.TRUE;
      case "false": case "no": case "off": case "0":
        return Boolean.FALSE;
      default:
        return null;
    }
  }

  private int integer(String key, int def, int min, int max) {
    String v = raw.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      long n = Long.parseLong(v.trim().replace("_", ""));
      if (n < min || n > max) {
        bad(key, v, "out of range [" + min + ", " + max + "]", String.valueOf(def));
        return def;
      }
      return (int) n;
    } catch (NumberFormatException e) {
      bad(key, v, "not an integer", String.valueOf(def));
      return def;
    }
  }

  private int[] intList(String key, String def) {
    List<String> items = list(key, def, false);
    int[] out = new int[items.size()];
    int n = 0;
    for (String s : items) {
      try {
        out[n++] = Integer.parseInt(s);
      } catch (NumberFormatException e) {
        bad(key, raw.get(key), "'" + s + "' is not an integer", def.isEmpty() ? "(none)" : def);
        return new int[0];
      }
    }
    return out;
  }

  private int[] bands(String key, String def) {
    int[] fallback = {1000, 3000, 8000, 15000};
    String v = raw.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    String[] parts = v.split(",");
    if (parts.length != 4) {
      bad(key, v, "needs four ascending numbers of ms", def);
      return fallback;
    }
    int[] out = new int[4];
    try {
      for (int i = 0; i < 4; i++) {
        out[i] = Integer.parseInt(parts[i].trim());
        if (out[i] <= 0 || (i > 0 && out[i] <= out[i - 1])) {
          bad(key, v, "needs four ascending positive numbers of ms", def);
          return fallback;
        }
      }
    } catch (NumberFormatException e) {
      bad(key, v, "needs four ascending numbers of ms", def);
      return fallback;
    }
    return out;
  }

  private String choice(String key, String def, String... allowed) {
    String v = raw.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    String u = v.trim().toUpperCase(Locale.ROOT);
    if (Arrays.asList(allowed).contains(u)) {
      return u;
    }
    bad(key, v, "not one of " + String.join("/", allowed), def);
    return def;
  }

  private List<String> list(String key, String def, boolean lowerCase) {
    String v = raw.get(key);
    if (v == null) {
      v = def;
    }
    List<String> out = new ArrayList<>();
    for (String s : v.split(",")) {
      String t = s.trim();
      if (!t.isEmpty()) {
        out.add(lowerCase ? t.toLowerCase(Locale.ROOT) : t);
      }
    }
    return Collections.unmodifiableList(out);
  }

  private void bad(String key, String value, String why, String def) {
    problems.add(key + "=" + value + ": " + why + "; using the default " + def);
  }
}
