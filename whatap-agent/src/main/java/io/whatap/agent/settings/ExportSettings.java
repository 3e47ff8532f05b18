package io.whatap.agent.settings;

import io.whatap.config.Config;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code export_*} options: where completed transactions go as spans (an OTLP/HTTP collector,
 * a Zipkin v2 endpoint, both or neither) and which of them. Part of {@link AgentSettings}; a bad
 * value is reported in its problems and falls back to the default (an unusable endpoint: that
 * exporter off).
 */
public final class ExportSettings {
  /** Which completed transactions leave as spans. */
  public enum Select {
    /** Every one. */
    ALL,
    /** Those at or over export_slow_ms, failed ones (an error step or status 5xx). */
    SLOW_AND_FAILED,
    /** Slow and failed ones plus export_sample_ratio of the others, chosen by trace id. */
    SAMPLE
  }

  public final Select select;
  public final double sampleRatio;
  public final int slowMs;
  /** The collector's base URL ("http://127.0.0.1:4318"), or "" for no OTLP export. */
  public final String otlpEndpoint;
  /** Headers sent with every OTLP request (authentication); their values are never logged. */
  public final Map<String, String> otlpHeaders;
  public final boolean otlpGzip;
  /** The full URL of Zipkin's /api/v2/spans, or "" for no Zipkin export. */
  public final String zipkinEndpoint;
  /** Transactions waiting per exporter; beyond it new ones are dropped and counted. */
  public final int queueMax;
  /** Transactions sent in one request at most. */
  public final int batchMax;
  /** Milliseconds one request may take (connect and answer) before it counts as failed. */
  public final int timeoutMs;

  ExportSettings(Config c, int defaultSlowMs, List<String> problems) {
    select = select(c.get("export_select", "all"), problems);
    sampleRatio = ratio(c, "export_sample_ratio", 0.1, problems);
    slowMs = AgentSettings.integer(c, "export_slow_ms", defaultSlowMs, 0, 3_600_000, problems);
    otlpEndpoint = endpoint(c, "export_otlp_endpoint", problems);
    otlpHeaders = headers(c.get("export_otlp_headers", ""), problems);
    String compression = c.get("export_otlp_compression", "gzip").trim().toLowerCase(Locale.ROOT);
    if (!compression.equals("gzip") && !compression.equals("none")) {
      problems.add("export_otlp_compression=" + compression + ": not gzip or none; using the default gzip");
      compression = "gzip";
    }
    otlpGzip = compression.equals("gzip");
    zipkinEndpoint = endpoint(c, "export_zipkin_endpoint", problems);
    queueMax = AgentSettings.integer(c, "export_queue_max", 10_000, 10, 1_000_000, problems);
    batchMax = AgentSettings.integer(c, "export_batch_max", 512, 1, 100_000, problems);
    timeoutMs = AgentSettings.integer(c, "export_timeout_ms", 10_000, 100, 600_000, problems);
  }

  /** Whether any exporter is configured. */
  public boolean enabled() {
    return !otlpEndpoint.isEmpty() || !zipkinEndpoint.isEmpty();
  }

  /** The OTLP headers with their values masked, for logs and the API. */
  public String maskedHeaders() {
    List<String> out = new ArrayList<>();
    for (String k : otlpHeaders.keySet()) {
      out.add(k + "=***");
    }
    return String.join(",", out);
  }

  private static Select select(String v, List<String> problems) {
    switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "all":
        return Select.ALL;
      case "slow_and_failed":
        return Select.SLOW_AND_FAILED;
      case "sample":
        return Select.SAMPLE;
      default:
        problems.add("export_select=" + v + ": not all, slow_and_failed or sample; using the default all");
        return Select.ALL;
    }
  }

  private static double ratio(Config c, String key, double def, List<String> problems) {
    String v = c.get(key);
    if (v == null || v.isBlank()) {
      return def;
    }
    try {
      double d = Double.parseDouble(v.trim());
      if (d >= 0 && d <= 1) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(key + "=" + v + ": not a number in [0, 1]; using the default " + def);
    return def;
  }

  /** An http(s) URL with a host, without a trailing slash; "" when unset or unusable (reported). */
  private static String endpoint(Config c, String key, List<String> problems) {
    String v = c.get(key, "").trim();
    if (v.isEmpty()) {
      return "";
    }
    try {
      URI u = URI.create(v);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
          && u.getRawUserInfo() == null && u.getRawQuery() == null) {
        return v.endsWith("/") ? v.substring(0, v.length() - 1) : v;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    // the value is not echoed: a mistyped URL may hold a credential
    problems.add(key + ": not an http:// or https:// URL with a host (and no user info or query); that export is off");
    return "";
  }

  /** "k=v,k=v": names are lower-cased; an entry without '=' or with an empty name is reported, not used. */
  private static Map<String, String> headers(String v, List<String> problems) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String part : v.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = eq < 0 ? "" : part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      if (name.isEmpty() || !name.chars().allMatch(ExportSettings::tokenChar)) {
        problems.add("export_otlp_headers: an entry is not name=value with a valid header name; it is not sent");
        continue;
      }
      out.put(name, part.substring(eq + 1).trim());
    }
    return Map.copyOf(out);
  }

  private static boolean tokenChar(int ch) {
    return ch > 32 && ch < 127 && "()<>@,;:\\\"/[]?={}".indexOf(ch) < 0;
  }
}
