package io.whatap.javaagent.hooks.vertx;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.whatap.javaagent.LibraryHooks;
import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.HookProvider;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Vert.x Web routers (4.5 and 5), installed by the agent: every router made after the agent
 * started gets whatap-vertx's {@code WhatapHandler} on a first route of its own, unless the
 * application registers a {@code WhatapHandler} itself (then the agent's route is removed: one
 * transaction per request), and each Vert.x made after the agent started gets whatap-vertx's
 * context slot (so timers and callbacks of a request see its transaction, on Vert.x 5 too). Runs
 * in the agent's loader; {@link VertxRouterHook} runs in an adapter
 * loader per copy of vertx-web.
 */
public final class VertxHooks {
  static final String ROUTER = "io.vertx.ext.web.Router";
  static final String ROUTER_IMPL = "io.vertx.ext.web.impl.RouterImpl";
  static final String VERTX_IMPL = "io.vertx.core.impl.VertxImpl";
  static final String ROUTE_IMPL = "io.vertx.ext.web.impl.RouteImpl";
  static final String HOOK = "io.whatap.javaagent.hooks.vertx.VertxRouterHook";
  /** whatap-vertx's classes and the hook, defined against the application's vertx-web. */
  static final String[] ADAPTER_PACKAGES = {"io.whatap.vertx.", "io.whatap.javaagent.hooks.vertx."};

  private VertxHooks() { }

  public static void install(AgentClassLoader agentLoader) {
    Bridge.install(Bridge.VERTX, new Provider(new LibraryHooks(ROUTER, HOOK, ADAPTER_PACKAGES, agentLoader)));
  }

  /**
   * The router hooks, also found from the class loader of a Vert.x being made (no router exists
   * yet then): the loader's vertx-web {@code Router} type names the copy, so the hook that
   * registers whatap-vertx's context slot is the one that later serves that copy's routers.
   */
  private static final class Provider implements HookProvider {
    private final LibraryHooks routers;

    Provider(LibraryHooks routers) {
      this.routers = routers;
    }

    @Override
    public Hook hookFor(Object libraryObject) {
      if (!(libraryObject instanceof ClassLoader)) {
        return routers.hookFor(libraryObject);
      }
      try {
        return routers.hookForApi(Class.forName(ROUTER, false, (ClassLoader) libraryObject));
      } catch (ClassNotFoundException | LinkageError noVertxWebThere) {
        // vertx-web in a child loader or absent: its routers get the slot later (Vert.x 4's fallback)
        return null;
      }
    }
  }

  public static AgentBuilder transformations(AgentBuilder builder) {
    return builder
        .type(named(VERTX_IMPL))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(VertxCreatedAdvice.class).on(isConstructor())))
        .type(named(ROUTER_IMPL))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(RouterCreatedAdvice.class)
            .on(isConstructor().and(takesArguments(1)).and(takesArgument(0, named("io.vertx.core.Vertx"))))))
        .type(named(ROUTE_IMPL))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(RouteHandlerAdvice.class)
            .on(named("handler").and(takesArguments(1)).and(takesArgument(0, named("io.vertx.core.Handler"))))));
  }
}
