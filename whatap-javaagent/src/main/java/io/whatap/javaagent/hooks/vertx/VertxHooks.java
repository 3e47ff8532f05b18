package io.whatap.javaagent.hooks.vertx;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.whatap.javaagent.LibraryHooks;
import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Vert.x Web routers (4.5 and 5), installed by the agent: every router made after the agent
 * started gets whatap-vertx's {@code WhatapHandler} on a first route of its own, unless the
 * application registers a {@code WhatapHandler} itself (then the agent's route is removed: one
 * transaction per request). Runs in the agent's loader; {@link VertxRouterHook} runs in an adapter
 * loader per copy of vertx-web.
 */
public final class VertxHooks {
  static final String ROUTER = "io.vertx.ext.web.Router";
  static final String ROUTER_IMPL = "io.vertx.ext.web.impl.RouterImpl";
  static final String ROUTE_IMPL = "io.vertx.ext.web.impl.RouteImpl";
  static final String HOOK = "io.whatap.javaagent.hooks.vertx.VertxRouterHook";
  /** whatap-vertx's classes and the hook, defined against the application's vertx-web. */
  static final String[] ADAPTER_PACKAGES = {"io.whatap.vertx.", "io.whatap.javaagent.hooks.vertx."};

  private VertxHooks() { }

  public static void install(AgentClassLoader agentLoader) {
    Bridge.install(Bridge.VERTX, new LibraryHooks(ROUTER, HOOK, ADAPTER_PACKAGES, agentLoader));
  }

  public static AgentBuilder transformations(AgentBuilder builder) {
    return builder
        .type(named(ROUTER_IMPL))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(RouterCreatedAdvice.class)
            .on(isConstructor().and(takesArguments(1)).and(takesArgument(0, named("io.vertx.core.Vertx"))))))
        .type(named(ROUTE_IMPL))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(RouteHandlerAdvice.class)
            .on(named("handler").and(takesArguments(1)).and(takesArgument(0, named("io.vertx.core.Handler"))))));
  }
}
