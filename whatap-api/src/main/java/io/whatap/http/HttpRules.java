package io.whatap.http;

import io.whatap.config.Config;
import io.whatap.util.SharedStrings;
import io.whatap.util.UrlText;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The HTTP rules every adapter shares, compiled once per configuration snapshot: which URLs are
 * ignored, how a path becomes a transaction name, which headers are captured or redacted and
 * where the client IP comes from. Matching is hand-written segment scanning: no regex and no
 * allocation on the request path unless a name actually changes.
 */
final class HttpRules {
  static final String REDACTED = "[redacted]";

  final Config config;
  private final String[] ignorePrefixes;
  private final Set<String> ignoreExact;
  private final String[][] ignoreGlobs;
  private final Set<String> ignoreExtensions;
  private final String[][] templates;
  private final String[] templateNames;
  final boolean captureAll;
  final String[] captureNames;
  /** trace_http_header_redact's plain names. */
  final Set<String> redact;
  /** trace_http_header_redact's globs: "*part*", "prefix*" and "*suffix". */
  private final String[] redactParts;
  private final String[] redactPrefixes;
  private final String[] redactSuffixes;
  final Set<String> explicitlyNamed;
  /** What {@link #resolve} computed for recent paths, by hash; replaced on a collision. */
  private final Resolved[] resolved = new Resolved[RESOLVED_SLOTS];
  private final SharedStrings names = new SharedStrings(RESOLVED_SLOTS);

  static final int RESOLVED_SLOTS = 1024;

  /** A path, whether it is ignored, and the transaction name it gets when no route names it. */
  static final class Resolved {
    final String path;
    public final boolean ignored;
    public final String name;

    Resolved(String path, boolean ignored, String name) {
      this.path = path;
      this.ignored = ignored;
      this.name = name;
    }

    /** The transaction's name: {@code route} when the framework gave one (it wins), else the path's. */
    public String nameFor(String route) {
      return routeNames(route) ? route : name;
    }
  }

  private static final Resolved ROOT = new Resolved(null, false, "/");

  public HttpRules(Config c) {
    this.config = c;
    List<String> prefixes = new ArrayList<>(c.ignoreUrlPrefixes);
    ignorePrefixes = prefixes.toArray(new String[0]);
    ignoreExact = new HashSet<>();
    List<String[]> globs = new ArrayList<>();
    for (String u : c.ignoreUrls) {
      if (u.indexOf('*') >= 0) {
        globs.add(segments(u));
      } else {
        ignoreExact.add(u);
      }
    }
    ignoreGlobs = globs.toArray(new String[0][]);
    ignoreExtensions = new HashSet<>(c.ignoreExtensions);
    List<String[]> t = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String tpl : c.normalizeUrls) {
      t.add(segments(tpl));
      names.add(tpl);
    }
    templates = t.toArray(new String[0][]);
    templateNames = names.toArray(new String[0]);
    captureAll = c.captureHeaders.contains("*");
    List<String> named = new ArrayList<>(c.captureHeaders);
    named.remove("*");
    captureNames = named.toArray(new String[0]);
    Arrays.sort(captureNames);
    explicitlyNamed = new HashSet<>(named);
    redact = new HashSet<>();
    List<String> parts = new ArrayList<>(Arrays.asList(CREDENTIAL_NAME_PARTS));
    List<String> redactPrefixList = new ArrayList<>();
    List<String> redactSuffixList = new ArrayList<>();
    for (String h : c.redactHeaders) {
      boolean starts = h.startsWith("*");
      boolean ends = h.endsWith("*") && h.length() > 1;
      String core = h.substring(starts ? 1 : 0, h.length() - (ends ? 1 : 0));
      if (core.isEmpty() || core.indexOf('*') >= 0) {
        continue; // a lone '*' or an inner star is no pattern this matcher knows
      }
      if (starts && ends) {
        parts.add(core);
      } else if (starts) {
        redactSuffixList.add(core);
      } else if (ends) {
        redactPrefixList.add(core);
      } else {
        redact.add(core);
      }
    }
    redactParts = parts.toArray(new String[0]);
    redactPrefixes = redactPrefixList.toArray(new String[0]);
    redactSuffixes = redactSuffixList.toArray(new String[0]);
  }

  /**
   * What a header's name contains when its value is a credential: with trace_http_headers=* such
   * a header is captured as [redacted] whatever trace_http_header_redact says, unless it is named.
   * The cookie headers and proxy-authorization are among them.
   */
  static final String[] CREDENTIAL_NAME_PARTS = {"auth", "token", "key", "secret", "password", "passwd",
      "credential", "cookie"};

  /**
   * True when the value of header {@code lowerCaseName} is captured as [redacted]: it was not named
   * in trace_http_headers, and trace_http_header_redact lists it or it looks like a credential
   * ({@link #CREDENTIAL_NAME_PARTS}). No allocation: the patterns were split at config time.
   */
  boolean redacts(String lowerCaseName) {
    if (explicitlyNamed.contains(lowerCaseName)) {
      return false;
    }
    if (redact.contains(lowerCaseName)) {
      return true;
    }
    for (String part : redactParts) {
      if (lowerCaseName.contains(part)) {
        return true;
      }
    }
    for (String prefix : redactPrefixes) {
      if (lowerCaseName.startsWith(prefix)) {
        return true;
      }
    }
    for (String suffix : redactSuffixes) {
      if (lowerCaseName.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  public Config config() {
    return config;
  }

  /**
   * {@link #ignored} and {@link #name} for {@code path} at once, from a bounded cache keyed by
   * the path: a path seen before costs a hash and a compare, not a scan of the ignore rules and
   * the templates, and its name is the same instance every time (equal names of different
   * paths, "/orders/{id}", share one too).
   */
  public Resolved resolve(String path) {
    if (path == null || path.isEmpty()) {
      return ROOT;
    }
    int i = slot(path.hashCode());
    Resolved r = resolved[i];
    if (r != null && (r.path == path || r.path.equals(path))) {
      return r;
    }
    return resolveNew(path, i);
  }

  /**
   * The same as {@code resolve(head + tail)} without building that string when the path was seen
   * before: the hash is {@code String.hashCode}'s of the concatenation, computed over the parts.
   */
  public Resolved resolve(String head, String tail) {
    int h = head.hashCode();
    for (int k = 0, n = tail.length(); k < n; k++) {
      h = 31 * h + tail.charAt(k);
    }
    int i = slot(h);
    Resolved r = resolved[i];
    if (r != null && r.path.length() == head.length() + tail.length() && r.path.startsWith(head)
        && r.path.startsWith(tail, head.length())) {
      return r;
    }
    return resolveNew(head.concat(tail), i);
  }

  private static int slot(int hash) {
    return (hash ^ (hash >>> 16)) & (RESOLVED_SLOTS - 1);
  }

  private Resolved resolveNew(String path, int slot) {
    boolean ignored = ignored(path);
    Resolved r = new Resolved(path, ignored, ignored ? null : names.share(pathName(path)));
    if (path.length() <= SharedStrings.MAX_LENGTH) {
      resolved[slot] = r;
    }
    return r;
  }

  /** True when no transaction should be made for {@code path}. */
  public boolean ignored(String path) {
    if (path == null) {
      return false;
    }
    for (String p : ignorePrefixes) {
      if (path.startsWith(p)) {
        return true;
      }
    }
    if (!ignoreExact.isEmpty() && ignoreExact.contains(path)) {
      return true;
    }
    for (String[] g : ignoreGlobs) {
      if (matches(g, path)) {
        return true;
      }
    }
    return isStatic(path);
  }

  /** True for a path ending in one of the static extensions. */
  public boolean isStatic(String path) {
    if (ignoreExtensions.isEmpty() || path == null) {
      return false;
    }
    int dot = path.lastIndexOf('.');
    if (dot < 0 || dot < path.lastIndexOf('/') || dot == path.length() - 1) {
      return false;
    }
    int len = path.length() - dot - 1;
    if (len > 8) {
      return false;
    }
    for (String ext : ignoreExtensions) {
      if (ext.length() == len && path.regionMatches(true, dot + 1, ext, 0, len)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The transaction name for a request: the framework's route template when there is one;
   * otherwise the first configured template that matches the path; otherwise the path with
   * id-like segments (numbers, UUIDs, long hex) replaced by {id}, {uuid} and {hex}.
   */
  public String name(String path, String route) {
    return routeNames(route) ? route : pathName(path);
  }

  /**
   * "The route name wins": whether the route template a framework gave (at start or only at the
   * end) names the transaction instead of the name from its path. Every naming decision asks this.
   */
  static boolean routeNames(String route) {
    return route != null && !route.isEmpty();
  }

  /** The name from the path alone: a configured template that matches, else the path with ids normalized. */
  private String pathName(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    for (int i = 0; i < templates.length; i++) {
      if (matches(templates[i], path)) {
        return templateNames[i];
      }
    }
    return config.normalizeIds ? normalizeIds(path) : path;
  }

  static String normalizeIds(String path) {
    StringBuilder out = null;
    int n = path.length();
    int segStart = 0;
    for (int i = 0; i <= n; i++) {
      if (i == n || path.charAt(i) == '/') {
        if (i > segStart) {
          String replacement = idKind(path, segStart, i);
          if (replacement != null) {
            if (out == null) {
              out = new StringBuilder(n + 8);
              out.append(path, 0, segStart);
            }
            out.append(replacement);
          } else if (out != null) {
            out.append(path, segStart, i);
          }
        }
        if (out != null && i < n) {
          out.append('/');
        }
        segStart = i + 1;
      }
    }
    return out == null ? path : out.toString();
  }

  /** "{id}" for all digits, "{uuid}" for a UUID, "{hex}" for 16+ hex digits with a digit; else null. */
  static String idKind(String s, int from, int to) {
    int len = to - from;
    boolean digits = true;
    boolean hex = true;
    boolean hasDigit = false;
    for (int i = from; i < to; i++) {
      char ch = s.charAt(i);
      boolean d = ch >= '0' && ch <= '9';
      hasDigit |= d;
      digits &= d;
      hex &= d || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
    }
    if (digits) {
      return "{id}";
    }
    if (len == 36 && s.charAt(from + 8) == '-' && s.charAt(from + 13) == '-'
        && s.charAt(from + 18) == '-' && s.charAt(from + 23) == '-') {
      for (int i = from; i < to; i++) {
        char ch = s.charAt(i);
        int rel = i - from;
        boolean dash = rel == 8 || rel == 13 || rel == 18 || rel == 23;
        boolean ok = dash ? ch == '-' : (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
        if (!ok) {
          return null;
        }
      }
      return "{uuid}";
    }
    if (hex && hasDigit && len >= 16) {
      return "{hex}";
    }
    return null;
  }

  static String[] segments(String template) {
    String t = template.startsWith("/") ? template.substring(1) : template;
    return t.isEmpty() ? new String[0] : t.split("/", -1);
  }

  /**
   * Segment match: "{x}" or ":x" or "*" matches one segment, a trailing "**" matches the rest,
   * anything else must be equal.
   */
  static boolean matches(String[] template, String path) {
    int pos = path.startsWith("/") ? 1 : 0;
    int n = path.length();
    for (int t = 0; t < template.length; t++) {
      String seg = template[t];
      if (seg.equals("**") && t == template.length - 1) {
        return true;
      }
      if (pos > n) {
        return false;
      }
      int end = path.indexOf('/', pos);
      if (end < 0) {
        end = n;
      }
      boolean wildcard = seg.equals("*") || (seg.startsWith("{") && seg.endsWith("}")) || seg.startsWith(":");
      if (wildcard) {
        if (end == pos) {
          return false;
        }
      } else if (end - pos != seg.length() || !path.regionMatches(pos, seg, 0, seg.length())) {
        return false;
      }
      pos = end + 1;
    }
    return pos > n;
  }

  /** The client IP: first address of the configured header when it looks like one, else the socket's. */
  public String clientIp(String headerValue, String remoteAddr) {
    if (headerValue != null && !headerValue.isEmpty()) {
      int end = headerValue.indexOf(',');
      if (end < 0) {
        end = headerValue.length();
      }
      int start = 0;
      while (start < end && headerValue.charAt(start) == ' ') {
        start++;
      }
      while (end > start && headerValue.charAt(end - 1) == ' ') {
        end--;
      }
      if (end > start && end - start <= 64 && looksLikeIp(headerValue, start, end)) {
        return start == 0 && end == headerValue.length() ? headerValue : headerValue.substring(start, end);
      }
    }
    return remoteAddr;
  }

  private static boolean looksLikeIp(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
          || c == '.' || c == ':' || c == '[' || c == ']';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  public boolean capturesHeaders() {
    return captureAll || captureNames.length > 0;
  }

  /**
   * "name=value" lines, names lower-case and sorted; sensitive values redacted unless named
   * ({@link #redacts}), the Referer without its query ({@link UrlText#recordable}).
   */
  public <R> String captureHeaders(HttpRequestView<R> view, R request) {
    java.util.TreeMap<String, String> found = new java.util.TreeMap<>();
    if (captureAll) {
      view.forEachHeader(request, (k, v) -> {
        String key = k.toLowerCase(Locale.ROOT);
        found.merge(key, v == null ? "" : v, (a, b) -> a + ", " + b);
      });
    } else {
      for (String name : captureNames) {
        String v = view.header(request, name);
        if (v != null) {
          found.put(name, v);
        }
      }
    }
    if (found.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder(64);
    for (java.util.Map.Entry<String, String> e : found.entrySet()) {
      String key = e.getKey();
      String value = redacts(key) ? REDACTED : key.equals("referer") ? UrlText.recordable(e.getValue()) : e.getValue();
      sb.append(key).append('=').append(value).append('\n');
    }
    return sb.toString();
  }
}
