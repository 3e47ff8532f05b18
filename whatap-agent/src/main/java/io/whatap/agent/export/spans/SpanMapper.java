package io.whatap.agent.export.spans;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.assembly.TxStep;
import io.whatap.agent.export.spans.Span.Attribute;
import io.whatap.agent.export.spans.Span.Event;
import io.whatap.agent.export.spans.Span.Kind;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A completed transaction as spans, by OpenTelemetry's semantic conventions: the transaction is a
 * SERVER span when it has an HTTP method (INTERNAL for a batch job or a method-rooted transaction),
 * each step a child of it (SQL and connection steps with {@code db.*}, HTTP calls as CLIENT spans,
 * methods and messages INTERNAL). Error steps are {@code exception} events on the transaction's span,
 * which then has status ERROR, as does a SERVER span answered 5xx. Ids: {@link SpanIds}. Runs on an
 * exporter's thread, never the receiver's.
 */
public final class SpanMapper {
  /** TX_MSG titles the applications use for what is not a step (see docs/wire-protocol.md). */
  static final String HEADERS_MESSAGE = "HTTP-HEADERS";
  static final String STEPS_DROPPED_MESSAGE = "PROFILE-STEPS-DROPPED";

  /** JDBC sub-protocols by the {@code db.system} value the conventions give them. */
  private static final Map<String, String> DB_SYSTEMS = Map.ofEntries(Map.entry("h2", "h2"),
      Map.entry("postgresql", "postgresql"), Map.entry("mysql", "mysql"), Map.entry("mariadb", "mariadb"),
      Map.entry("oracle", "oracle"), Map.entry("sqlserver", "mssql"), Map.entry("db2", "db2"),
      Map.entry("sqlite", "sqlite"), Map.entry("hsqldb", "hsqldb"), Map.entry("derby", "derby"),
      Map.entry("clickhouse", "clickhouse"), Map.entry("snowflake", "snowflake"), Map.entry("redshift", "redshift"),
      Map.entry("cockroachdb", "cockroachdb"), Map.entry("informix-sqli", "informix"), Map.entry("sap", "hanadb"),
      Map.entry("trino", "trino"), Map.entry("firebirdsql", "firebird"));

  private final String hostName;

  /** @param hostName this host's name ({@code host.name} of every resource) */
  public SpanMapper(String hostName) {
    this.hostName = hostName;
  }

  /** This host's name ({@code host.name}). */
  public String hostName() {
    return hostName;
  }

  /** The process {@code t} ran in. */
  public ServiceResource resource(TxRecord t) {
    return ServiceResource.of(t.app, t.pid, hostName);
  }

  /** The transaction's span first, then one per step (error steps become events, not spans). */
  public List<Span> map(TxRecord t) {
    long traceId = SpanIds.traceId(t);
    long rootId = SpanIds.transactionSpanId(t.txid);
    boolean web = t.method != null && !t.method.isEmpty();
    List<Attribute> attrs = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<Span> children = new ArrayList<>();
    String name;
    if (web) {
      name = t.method + " " + t.name;
      attrs.add(new Attribute("http.request.method", t.method));
      attrs.add(new Attribute("http.route", t.name));
      attrs.add(new Attribute("url.path", t.path != null ? t.path : t.name));
      if (t.status > 0) {
        attrs.add(new Attribute("http.response.status_code", (long) t.status));
      }
      putString(attrs, "client.address", t.clientIp);
      putString(attrs, "user_agent.original", t.userAgent);
      if (t.host != null && !t.host.isEmpty()) {
        HostPort hp = HostPort.of(t.host);
        attrs.add(new Attribute("server.address", hp.host));
        if (hp.port > 0) {
          attrs.add(new Attribute("server.port", (long) hp.port));
        }
      }
    } else {
      name = t.name;
    }
    attrs.add(new Attribute("whatap.txid", Long.toString(t.txid)));
    if (t.callerSpec != null && !t.callerSpec.isEmpty()) {
      attrs.add(new Attribute("whatap.caller.spec", t.callerSpec));
    }
    long stepsDropped = t.stepsDropped;
    for (int i = 0; i < t.steps.size(); i++) {
      TxStep s = t.steps.get(i);
      switch (s.kind()) {
        case "error" -> events.add(exception(s));
        case "sql" -> children.add(sql(t, traceId, rootId, i, s));
        case "dbconn" -> children.add(child(t, traceId, rootId, i, s, "db connect", Kind.INTERNAL, dbSystem(s.title())));
        case "httpc" -> children.add(httpCall(t, traceId, rootId, i, s));
        case "method" -> children.add(child(t, traceId, rootId, i, s, s.title(), Kind.INTERNAL,
            List.of(new Attribute("code.function.name", s.title()))));
        case "msg" -> {
          if (HEADERS_MESSAGE.equals(s.title())) {
            headers(attrs, s.text());
          } else if (STEPS_DROPPED_MESSAGE.equals(s.title())) {
            stepsDropped += parseLong(s.detail());
          } else {
            List<Attribute> a = new ArrayList<>();
            putString(a, "whatap.message.value", s.detail());
            putString(a, "whatap.message.description", s.text());
            children.add(child(t, traceId, rootId, i, s, s.title(), Kind.INTERNAL, a));
          }
        }
        default -> { }
      }
    }
    if (stepsDropped > 0) {
      attrs.add(new Attribute("whatap.steps_dropped", stepsDropped));
    }
    boolean error = t.error || (web && t.status >= 500);
    if (error) {
      attrs.add(new Attribute("error.type", t.errorClass != null && !t.errorClass.isEmpty() ? t.errorClass
          : Integer.toString(t.status)));
    }
    List<Span> out = new ArrayList<>(children.size() + 1);
    out.add(new Span(0, traceId, rootId, SpanIds.parentSpanId(t), name, web ? Kind.SERVER : Kind.INTERNAL,
        t.start, Math.max(t.start, t.end), List.copyOf(attrs), List.copyOf(events), error,
        error ? t.errorMessage : null));
    out.addAll(children);
    return out;
  }

  private static Event exception(TxStep s) {
    List<Attribute> a = new ArrayList<>(3);
    putString(a, "exception.type", s.title());
    putString(a, "exception.message", s.detail());
    putString(a, "exception.stacktrace", s.text());
    return new Event(s.time(), "exception", List.copyOf(a));
  }

  private Span sql(TxRecord t, long traceId, long rootId, int i, TxStep s) {
    List<Attribute> a = new ArrayList<>(dbSystem(s.detail()));
    String statement = s.title() == null ? "" : s.title();
    a.add(new Attribute("db.query.text", statement));
    a.add(new Attribute("db.statement", statement));
    String op = operation(statement);
    if (!op.isEmpty()) {
      a.add(new Attribute("db.operation.name", op));
    }
    if (s.number() > 0) {
      a.add(new Attribute("db.response.returned_rows", s.number()));
    }
    return child(t, traceId, rootId, i, s, op.isEmpty() ? "SQL" : op, Kind.CLIENT, a);
  }

  private Span httpCall(TxRecord t, long traceId, long rootId, int i, TxStep s) {
    List<Attribute> a = new ArrayList<>();
    String url = s.title() == null ? "" : s.title();
    a.add(new Attribute("url.full", url));
    String path = url;
    try {
      URI u = URI.create(url);
      if (u.getHost() != null) {
        a.add(new Attribute("server.address", u.getHost()));
        int port = u.getPort() > 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
        a.add(new Attribute("server.port", (long) port));
      }
      if (u.getRawPath() != null && !u.getRawPath().isEmpty()) {
        path = u.getRawPath();
      }
    } catch (IllegalArgumentException e) {
      // a URL the application recorded as it was: url.full keeps it, the rest is unknown
    }
    putString(a, "whatap.http.driver", s.detail());
    if (s.number() != 0) {
      a.add(new Attribute("whatap.callee.txid", Long.toString(s.number())));
    }
    long id = s.number() != 0 ? s.number() : SpanIds.stepSpanId(t.txid, i);
    return new Span(0, traceId, id, rootId, "HTTP " + path, Kind.CLIENT, s.time(), s.time() + Math.max(0, s.elapsed()),
        List.copyOf(a), List.of(), false, null);
  }

  private static Span child(TxRecord t, long traceId, long rootId, int i, TxStep s, String name, Kind kind,
      List<Attribute> attrs) {
    return new Span(0, traceId, SpanIds.stepSpanId(t.txid, i), rootId, name == null || name.isEmpty() ? s.kind() : name,
        kind, s.time(), s.time() + Math.max(0, s.elapsed()), List.copyOf(attrs), List.of(), false, null);
  }

  /** {@code db.system} from a JDBC URL's sub-protocol, when it is a known one; else nothing. */
  static List<Attribute> dbSystem(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return List.of();
    }
    int end = jdbcUrl.indexOf(':', 5);
    if (end < 0) {
      return List.of();
    }
    String system = DB_SYSTEMS.get(jdbcUrl.substring(5, end).toLowerCase(Locale.ROOT));
    return system == null ? List.of() : List.of(new Attribute("db.system", system));
  }

  /** The statement's first word upper-cased (SELECT, INSERT, ...), or "" when it does not start with one. */
  static String operation(String statement) {
    int i = 0;
    int n = statement.length();
    while (i < n && (Character.isWhitespace(statement.charAt(i)) || statement.charAt(i) == '(')) {
      i++;
    }
    int start = i;
    while (i < n && i - start < 32 && Character.isLetter(statement.charAt(i))) {
      i++;
    }
    return statement.substring(start, i).toUpperCase(Locale.ROOT);
  }

  /** Captured request headers ("name=value" lines) as {@code http.request.header.<name>} string arrays. */
  private static void headers(List<Attribute> attrs, String lines) {
    if (lines == null) {
      return;
    }
    for (String line : lines.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        attrs.add(new Attribute("http.request.header." + line.substring(0, eq).trim().toLowerCase(Locale.ROOT),
            List.of(line.substring(eq + 1).trim())));
      }
    }
  }

  private static void putString(List<Attribute> attrs, String key, String value) {
    if (value != null && !value.isEmpty()) {
      attrs.add(new Attribute(key, value));
    }
  }

  private static long parseLong(String s) {
    try {
      return s == null ? 0 : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A Host header split into name and port (IPv6 literals in brackets kept whole). */
  private record HostPort(String host, int port) {
    static HostPort of(String h) {
      int colon = h.lastIndexOf(':');
      if (colon > 0 && colon > h.lastIndexOf(']')) {
        try {
          return new HostPort(h.substring(0, colon), Integer.parseInt(h.substring(colon + 1)));
        } catch (NumberFormatException e) {
          return new HostPort(h, 0);
        }
      }
      return new HostPort(h, 0);
    }
  }
}
