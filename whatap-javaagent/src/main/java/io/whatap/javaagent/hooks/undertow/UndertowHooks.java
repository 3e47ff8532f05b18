package io.whatap.javaagent.hooks.undertow;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.whatap.javaagent.LibraryHooks;
import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Undertow core handlers (2.3), installed by the agent: the root handler an {@code Undertow} is
 * built with is wrapped with whatap-undertow's {@code WhatapHandler}, unless it already is one or
 * the application runs Undertow servlet deployments (those requests are the servlet hook's). Runs
 * in the agent's loader; {@link UndertowRootHook} in an adapter loader per copy of undertow-core.
 */
public final class UndertowHooks {
  static final String HTTP_HANDLER = "io.undertow.server.HttpHandler";
  static final String BUILDER = "io.undertow.Undertow$Builder";
  static final String DEPLOYMENT_MANAGER = "io.undertow.servlet.core.DeploymentManagerImpl";
  static final String HOOK = "io.whatap.javaagent.hooks.undertow.UndertowRootHook";
  static final String[] ADAPTER_PACKAGES = {"io.whatap.undertow.", "io.whatap.javaagent.hooks.undertow."};

  private UndertowHooks() { }

  public static void install(AgentClassLoader agentLoader) {
    Bridge.install(Bridge.UNDERTOW, new LibraryHooks(HTTP_HANDLER, HOOK, ADAPTER_PACKAGES, agentLoader));
  }

  public static AgentBuilder transformations(AgentBuilder builder) {
    return builder
        .type(named(BUILDER))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(BuildAdvice.class)
            .on(named("build").and(takesArguments(0)))))
        .type(named(DEPLOYMENT_MANAGER))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(ServletDeploymentAdvice.class)
            .on(named("start").and(takesArguments(0)))));
  }
}
