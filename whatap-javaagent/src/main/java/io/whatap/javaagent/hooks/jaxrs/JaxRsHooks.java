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
 * JAX-RS route names on Jersey 3 (Jakarta), installed by the agent: when Jersey makes a request's
 * response ({@code ContainerResponse}, every response including mapped exceptions), the hook
 * publishes the matched {@code @Path} templates as the request's route; the servlet hook, which
 * traces the request, names the transaction with it. Runs in the agent's loader;
 * {@link JerseyRouteHook} in an adapter loader per copy of jersey-server.
 */
public final class JaxRsHooks {
  static final String CONTAINER_REQUEST = "org.glassfish.jersey.server.ContainerRequest";
  static final String CONTAINER_RESPONSE = "org.glassfish.jersey.server.ContainerResponse";
  static final String OUTBOUND_RESPONSE = "org.glassfish.jersey.message.internal.OutboundJaxrsResponse";
  static final String HOOK = "io.whatap.javaagent.hooks.jaxrs.JerseyRouteHook";
  static final String[] ADAPTER_PACKAGES = {"io.whatap.javaagent.hooks.jaxrs."};

  private JaxRsHooks() { }

  public static void install(AgentClassLoader agentLoader) {
    Bridge.install(Bridge.JAXRS, new LibraryHooks(CONTAINER_REQUEST, HOOK, ADAPTER_PACKAGES, agentLoader));
  }

  public static AgentBuilder transformations(AgentBuilder builder) {
    // the constructor every response reaches (the public one delegates to it): one call per response
    return builder
        .type(named(CONTAINER_RESPONSE))
        .transform((b, type, loader, module, domain) -> b.visit(Advice.to(ResponseCreatedAdvice.class)
            .on(isConstructor().and(takesArguments(2)).and(takesArgument(0, named(CONTAINER_REQUEST)))
                .and(takesArgument(1, named(OUTBOUND_RESPONSE))))));
  }
}
