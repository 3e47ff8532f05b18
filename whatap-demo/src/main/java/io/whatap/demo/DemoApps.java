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
   * Two stand-in apps calling each other, until the adapters are merged; then: jetty (WhatapFilter),
   * vertx (WhatapHandler), undertow (WhatapHandler.wrap) and wsgi, each calling the next.
   */
  public static final List<AppSpec> DEFAULT = List.of(
      new AppSpec("jdk", "demo-shop", 1),
      new AppSpec("jdk", "demo-inventory", 0));

  private DemoApps() {
  }

  /** The kinds {@link #server} knows. */
  public static List<String> kinds() {
    return List.of("jdk");
  }

  /** A new, unstarted server of this kind. */
  public static DemoServer server(String kind) {
    switch (kind) {
      case "jdk":
        return new JdkHttpDemoServer();
      default:
        throw new IllegalArgumentException("no demo server of kind '" + kind + "' (known: " + kinds() + ")");
    }
  }
}
