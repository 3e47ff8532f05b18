package io.whatap.javaagent.hooks.vertx;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.whatap.util.AgentLog;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.vertx.WhatapHandler;
import io.whatap.vertx.WhatapVertx;

/**
 * Defined by an adapter loader against the application's vertx-web: gives each new router a first
 * route (order {@link Integer#MIN_VALUE}) running whatap-vertx's {@link WhatapHandler}, the
 * handler library mode registers by hand, so both ways in record the same (route-template names,
 * end on the response's end, the transaction in the request's Vert.x context). Called when a
 * Vert.x or a router is made and when a route gets a handler, never per request.
 */
public final class VertxRouterHook implements Hook {
  /** The name of the agent's route, how the agent recognises it among a router's routes. */
  static final String ROUTE_NAME = "whatap-javaagent";
  private static final String WHATAP_HANDLER = "io.whatap.vertx.WhatapHandler";
  private static final String TRACED_HANDLER = "io.whatap.vertx.TracedHandler";
  private static final String JAVAAGENT = "io.whatap.runtime.Javaagent";

  public VertxRouterHook() { }

  @Override
  public Object enter(Object self, Object arg0, Object arg1) {
    if (arg0 instanceof ClassLoader) {
      // a Vert.x is being made: it must see the context slot registered before it copies the slots
      WhatapVertx.init();
    } else if (self instanceof Router && arg0 instanceof Vertx) {
      ((Router) self).route().order(Integer.MIN_VALUE).setName(ROUTE_NAME).handler(WhatapHandler.create((Vertx) arg0));
    } else if (self instanceof Route && arg0 != null && arg1 instanceof Router) {
      handlerAdded((Route) self, arg0, (Router) arg1);
    }
    return null;
  }

  /**
   * The application registers a handler: when it is a WhatapHandler of its own (or one that
   * {@code Whatap.registerApp} wrapped), whichever copy of whatap-vertx made it, that handler traces
   * this router and the agent's route goes, so that no request is traced twice.
   */
  private static void handlerAdded(Route route, Object handler, Router router) {
    if (ROUTE_NAME.equals(route.getName())) {
      return;
    }
    String type = handler.getClass().getName();
    if (!type.equals(WHATAP_HANDLER) && !type.equals(TRACED_HANDLER)) {
      return;
    }
    if (defersToJavaagent(handler)) {
      return; // the application's copy passes requests on to the agent's route: keep it
    }
    for (Route r : router.getRoutes()) {
      if (ROUTE_NAME.equals(r.getName())) {
        r.remove();
        AgentLog.get().info("a Vert.x router has its own WhatapHandler; the javaagent does not trace it again");
      }
    }
  }

  /**
   * True when the handler's copy of whatap-api records through the javaagent (its
   * {@code io.whatap.runtime.Javaagent.PRESENT}, fixed when the handler was made): such a handler
   * traces nothing itself. False for a copy that runs its own agent (attached after it started).
   */
  private static boolean defersToJavaagent(Object handler) {
    try {
      Class<?> javaagent = Class.forName(JAVAAGENT, true, handler.getClass().getClassLoader());
      return javaagent.getField("PRESENT").getBoolean(null);
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // enter returns no scope: never called
  }
}
