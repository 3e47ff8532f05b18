package io.whatap.javaagent.hooks.webflux;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.whatap.javaagent.LibraryHooks;
import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * Spring WebFlux (Spring Framework 6.2 and 7, any server: Reactor Netty, or a servlet container
 * through its reactive adapter), installed by the agent: {@code HttpWebHandlerAdapter.handle(
 * ServerHttpRequest, ServerHttpResponse)}, where every WebFlux request enters, starts a transaction
 * that ends when the returned {@code Mono} completes, fails or is cancelled; named by the
 * best-matching pattern. Runs in the agent's loader; {@link WebFluxHook} in an adapter loader per
 * copy of spring-web.
 */
public final class WebFluxHooks {
  static final String SERVER_HTTP_REQUEST = "org.springframework.http.server.reactive.ServerHttpRequest";
  static final String SERVER_HTTP_RESPONSE = "org.springframework.http.server.reactive.ServerHttpResponse";
  static final String ADAPTER = "org.springframework.web.server.adapter.HttpWebHandlerAdapter";
  static final String HOOK = "io.whatap.javaagent.hooks.webflux.WebFluxHook";
  static final String[] ADAPTER_PACKAGES = {"io.whatap.javaagent.hooks.webflux."};

  private WebFluxHooks() { }

  public static void install(AgentClassLoader agentLoader) {
    Bridge.install(Bridge.WEBFLUX, new LibraryHooks(SERVER_HTTP_REQUEST, HOOK, ADAPTER_PACKAGES, agentLoader));
  }

  public static AgentBuilder transformations(AgentBuilder builder) {
    return builder
        .type(named(ADAPTER))
        .transform((b, type, loader, module, domain) -> b
            .visit(Advice.to(HandleAdvice.class).on(named("handle").and(takesArguments(2))
                .and(takesArgument(0, named(SERVER_HTTP_REQUEST))).and(takesArgument(1, named(SERVER_HTTP_RESPONSE)))))
            .visit(Advice.to(ExchangeCreatedAdvice.class).on(named("createExchange").and(takesArguments(2))
                .and(takesArgument(0, named(SERVER_HTTP_REQUEST))))));
  }
}
