package io.whatap.agent.http;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.whatap.agent.settings.AgentSettings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What every request passes first: the security headers on its response, and the check of its
 * {@code Host} and {@code Origin} against the names this agent is known by. A page on another site
 * can make a browser send requests here under a name the attacker controls that resolves to
 * 127.0.0.1 (DNS rebinding); such a request carries that foreign name in Host, so it is answered
 * 421, and a cross-site request whose Origin is not ours is answered 403, before any data is read.
 *
 * <p>Known names: loopback names and addresses ({@code localhost}, {@code *.localhost},
 * 127.0.0.0/8, {@code ::1}), the bind address (agent_http_host) and agent_http_allowed_hosts. When
 * bound to every interface (0.0.0.0 or ::), any IP address literal too: a literal cannot be rebound,
 * and it is how such an agent is reached from other hosts (which then need agent_token).
 */
public final class HttpGuard {
  /** Requests refused for an unknown Host (421) or a foreign Origin (403). */
  public final LongAdder refusedHost = new LongAdder();
  public final LongAdder refusedOrigin = new LongAdder();
  /** Connections closed at once because agent_http_connections_max were open. */
  public final LongAdder connectionsRefused = new LongAdder();
  /**
   * Connections closed because no whole request arrived within agent_http_request_timeout_sec of
   * their opening or of the previous answer (a client trickling bytes, or a kept-alive connection
   * left unused that long).
   */
  public final LongAdder requestTimeouts = new LongAdder();
  /** Connections open now (counted on the event loop, read by /metrics). */
  private final AtomicInteger connectionsOpen = new AtomicInteger();
  private final int connectionsMax;
  private final long requestTimeoutMs;
  /** The deadline of each open connection that was not refused: at most agent_http_connections_max. */
  private final Map<HttpConnection, RequestDeadline> deadlines = new ConcurrentHashMap<>();

  private final Set<String> names = new HashSet<>();
  private final boolean anyAddressLiteral;
  private final String contentSecurityPolicy;

  public HttpGuard(AgentSettings settings, String contentSecurityPolicy) {
    String bind = bare(settings.httpHost);
    names.add(bind);
    names.addAll(settings.httpAllowedHosts);
    anyAddressLiteral = bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty();
    this.contentSecurityPolicy = contentSecurityPolicy;
    this.connectionsMax = settings.httpConnectionsMax;
    this.requestTimeoutMs = settings.httpRequestTimeoutSec * 1000L;
  }

  /**
   * The server's connection handler: counts open connections and closes one over
   * agent_http_connections_max at once, so that a client opening thousands keeps neither file
   * descriptors nor memory; the ones already open are served.
   */
  public void connection(HttpConnection c) {
    int open = connectionsOpen.incrementAndGet();
    if (open > connectionsMax) {
      c.closeHandler(v -> connectionsOpen.decrementAndGet());
      connectionsRefused.increment();
      c.close();
      return;
    }
    // called on the connection's event loop: its timers run there too, as do the handlers below
    RequestDeadline deadline = new RequestDeadline(Vertx.currentContext().owner(), c);
    deadlines.put(c, deadline);
    c.closeHandler(v -> {
      connectionsOpen.decrementAndGet();
      deadlines.remove(c);
      deadline.close();
    });
    deadline.arm();
  }

  /**
   * A connection's time to deliver its next whole request. Vert.x's idle timeout restarts on every
   * byte read, so a client sending a header byte every few seconds would hold the connection (and
   * its share of agent_http_connections_max) for good; this deadline does not move. It runs from
   * the connection's opening and again from the end of each answer, and stops when a request
   * (request line and headers: the API takes no body) has arrived.
   */
  private final class RequestDeadline {
    private final Vertx vertx;
    private final HttpConnection connection;
    private long timer = -1;
    private boolean closed;

    RequestDeadline(Vertx vertx, HttpConnection connection) {
      this.vertx = vertx;
      this.connection = connection;
    }

    void arm() {
      stop();
      if (!closed) {
        timer = vertx.setTimer(requestTimeoutMs, id -> {
          timer = -1;
          if (!closed) {
            requestTimeouts.increment();
            connection.close();
          }
        });
      }
    }

    void stop() {
      if (timer >= 0) {
        vertx.cancelTimer(timer);
        timer = -1;
      }
    }

    void close() {
      closed = true;
      stop();
    }
  }

  public int connectionsOpen() {
    return connectionsOpen.get();
  }

  /** The route handler (first of all): headers, then the Host and Origin checks. */
  public void handle(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse res = ctx.response();
    RequestDeadline deadline = deadlines.get(req.connection());
    if (deadline != null) {
      deadline.stop();
      ctx.addBodyEndHandler(v -> deadline.arm()); // the next request's time starts when this answer is out
    }
    res.putHeader("content-security-policy", contentSecurityPolicy)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("x-frame-options", "DENY")
        .putHeader("referrer-policy", "no-referrer")
        .putHeader("cross-origin-resource-policy", "same-origin");
    String host = req.getHeader("host");
    if (host != null && !knownHost(hostOf(host))) {
      refusedHost.increment();
      HttpApi.error(ctx, 421, "this agent does not answer to the name in Host; set agent_http_allowed_hosts to"
          + " serve it under another name");
      return;
    }
    String origin = req.getHeader("origin");
    if (origin != null && !knownHost(originHost(origin))) {
      refusedOrigin.increment();
      HttpApi.error(ctx, 403, "cross-site requests are refused");
      return;
    }
    ctx.next();
  }

  /** Whether {@code host} (without port, lower case, or null when unreadable) names this agent. */
  boolean knownHost(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (host.equals("localhost") || host.endsWith(".localhost") || names.contains(host)) {
      return true;
    }
    InetAddress literal = literal(host);
    return literal != null && (literal.isLoopbackAddress() || anyAddressLiteral);
  }

  /** The host of a Host header ("name", "name:port", "[v6]:port"), lower case, without a trailing dot. */
  static String hostOf(String header) {
    String h = header.trim();
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      return close < 0 ? null : bare(h.substring(1, close));
    }
    int colon = h.indexOf(':');
    if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
      h = h.substring(0, colon);
    }
    return bare(h);
  }

  private static String originHost(String origin) {
    try {
      URI u = new URI(origin.trim());
      return u.getHost() == null ? null : hostOf(u.getHost());
    } catch (Exception e) {
      return null; // "null" (a sandboxed or file: page) and anything unreadable: foreign
    }
  }

  private static String bare(String h) {
    String s = h.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("[") && s.endsWith("]")) {
      s = s.substring(1, s.length() - 1);
    }
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  /** The address an IP literal names, or null for anything else (no name is ever resolved here). */
  private static InetAddress literal(String host) {
    boolean v4 = host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    boolean v6 = host.indexOf(':') >= 0 && host.chars().allMatch(c -> c == ':' || c == '.' || c == '%'
        || Character.digit(c, 16) >= 0 || Character.isLetterOrDigit(c));
    if (!v4 && !v6) {
      return null;
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException | RuntimeException e) {
      return null;
    }
  }
}
