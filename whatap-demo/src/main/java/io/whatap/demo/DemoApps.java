package io.whatap.demo;

import java.util.List;

/**
 * The demo's apps: which server kinds exist and which apps the demo starts. Adding a framework is
 * one {@link DemoServer} class, one case in {@link #server} and one line in {@link #DEFAULT}.
 */
public final class DemoApps {
  /**
   * One app the launcher starts: a server kind, the app_name it reports under, and the index (in
   * the list) of the app its /checkout calls, or -1.
   */
  public record AppSpec(String kind, String appName, int peer) {
  }

  /**
   * One app per adapter, in a ring: each one's /checkout calls the next (jetty → vertx → undertow →
   * wsgi → jetty), so every adapter both sends and receives the multi-transaction headers.
   */
  public static final List<AppSpec> DEFAULT = List.of(
      new AppSpec("jetty", "demo-jetty", 1),
      new AppSpec("vertx", "demo-vertx", 2),
      new AppSpec("undertow", "demo-undertow", 3),
      new AppSpec("wsgi", "demo-wsgi", 0));

  private DemoApps() {
  }

  /** The kinds {@link #server} knows. */
  public static List<String> kinds() {
    return List.of("jetty", "vertx", "undertow", "wsgi", "jdk");
  }

  /** A new, unstarted server of this kind. */
  public static DemoServer server(String kind) {
    switch (kind) {
      case "jetty":
        return new JettyDemoServer();
      case "vertx":
        return new VertxDemoServer();
      case "undertow":
        return new UndertowDemoServer();
      case "wsgi":
        return new WsgiDemoServer();
      case "jdk":
        return new JdkHttpDemoServer();
      default:
        throw new IllegalArgumentException("no demo server of kind '" + kind + "' (known: " + kinds() + ")");
    }
  }
}
