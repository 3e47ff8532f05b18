package io.whatap.javaagent.hooks.undertow;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.whatap.util.AgentLog;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.undertow.WhatapHandler;

/**
 * Defined by an adapter loader against the application's undertow-core: wraps the root handler
 * of each {@code Undertow} the application builds with whatap-undertow's {@link WhatapHandler}
 * (what library mode registers by hand: route-template names, the status the client saw,
 * dispatched and asynchronous exchanges ended on completion). Called when a server is built, never
 * per request.
 *
 * <p>Undertow servlet deployments are traced by the servlet hook, with the servlet's view of the
 * request (Spring MVC route names...); wrapping their root too would trace each request twice,
 * so once a servlet deployment started in this copy of Undertow, roots are left alone.
 */
public final class UndertowRootHook implements Hook {
  private static final String WHATAP_HANDLER = "io.whatap.undertow.WhatapHandler";

  private volatile boolean servletDeployments;

  public UndertowRootHook() { }

  @Override
  public Object enter(Object self, Object handler, Object unused) {
    if (!(handler instanceof HttpHandler)) {
      return null;
    }
    if (!(self instanceof Undertow.Builder)) {
      if (!servletDeployments) {
        servletDeployments = true;
        AgentLog.get().info("Undertow servlet deployment started: its requests are traced by the servlet hook,"
            + " Undertow root handlers are not wrapped");
      }
      return null;
    }
    if (servletDeployments || handler.getClass().getName().equals(WHATAP_HANDLER)) {
      return null;
    }
    return WhatapHandler.wrap((HttpHandler) handler);
  }

  @Override
  public Object argument(Object scope, Object original) {
    return scope;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // nothing to end: the wrapped handler ends each exchange's transaction itself
  }
}
