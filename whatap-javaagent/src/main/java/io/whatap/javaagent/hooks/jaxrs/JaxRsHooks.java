package io.whatap.javaagent.hooks.jaxrs;

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
 * JAX-RS route names on Jersey 3 and RESTEasy 6 (Jakarta), installed by the agent: when Jersey makes a request's
 * response ({@code ContainerResponse}, every response including mapped exceptions), the hook
 * publishes the matched {@code @Path} templates as the request's route; the servlet hook, which
 * traces the request, names the transaction with it. Runs in the agent's loader;
 * {@link JerseyRouteHook} in an adapter loader per copy of jersey-server. RESTEasy: before
 * {@code ResourceMethodInvoker.invokeOnTarget} runs the resource method, {@link ResteasyRouteHook}
 * publishes the class's and the method's {@code @Path} joined.
 */
public final class JaxRsHooks {
  static final String CONTAINER_REQUEST = "org.glassfish.jersey.server.ContainerRequest";
  static final String CONTAINER_RESPONSE = "org.glassfish.jersey.server.ContainerResponse";
  static final String OUTBOUND_RESPONSE = "org.glassfish.jersey.message.internal.OutboundJaxrsResponse";
  static final String HOOK = "io.whatap.javaagent.hooks.jaxrs.JerseyRouteHook";
  static final String RESTEASY_INVOKER = "org.jboss.resteasy.core.ResourceMethodInvoker";
  static final String RESTEASY_REQUEST = "org.jboss.resteasy.spi.HttpRequest";
  static final String RESTEASY_HOOK = "io.whatap.javaagent.hooks.jaxrs.ResteasyRouteHook";
  static final String[] ADAPTER_PACKAGES = {"io.whatap.javaagent.hooks.jaxrs."};

  private JaxRsHooks() { }

  public static void install(AgentClassLoader agentLoader) {
    Bridge.install(Bridge.JAXRS, new LibraryHooks(CONTAINER_REQUEST, HOOK, ADAPTER_PACKAGES, agentLoader));
    Bridge.install(Bridge.RESTEASY, new LibraryHooks(RESTEASY_INVOKER, RESTEASY_HOOK, ADAPTER_PACKAGES, agentLoader));
  }

  public static AgentBuilder transformations(AgentBuilder builder) {
    // the constructor every response reaches (the public one delegates to it): one call per response
    return builder
        .type(named(CONTAINER_RESPONSE))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(ResponseCreatedAdvice.class)
            .on(isConstructor().and(takesArguments(2)).and(takesArgument(0, named(CONTAINER_REQUEST)))
                .and(takesArgument(1, named(OUTBOUND_RESPONSE))))))
        // RESTEasy: where every matched resource method is invoked on its target (sync and async alike)
        .type(named(RESTEASY_INVOKER))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(ResteasyInvokeAdvice.class)
            .on(named("invokeOnTarget").and(takesArguments(3)).and(takesArgument(0, named(RESTEASY_REQUEST))))));
  }
}
