package io.whatap.javaagent.hooks.httpclient;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.whatap.util.AgentLog;
import io.whatap.javaagent.LibraryHooks;
import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.javaagent.bootstrap.Bridge;
import java.lang.instrument.Instrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Outgoing HTTP calls with no code change: {@code java.net.http.HttpClient}, {@code HttpURLConnection},
 * Apache HttpClient 5 (classic and async), OkHttp 4/5, Jetty HttpClient 12 and Vert.x HttpClient and
 * WebClient 4.5/5, each recorded by the code library mode
 * uses (whatap-api's {@code TracedHttpClient} and client core, whatap-httpclient's handlers).
 *
 * <p>A transformer of its own beside the servlet and method one, because two of its targets are JDK
 * classes that the other leaves alone and that may already be loaded when the agent starts: it
 * retransforms ({@code RETRANSFORMATION}, class format frozen: advice only, no new members), its
 * ignore rule lets through exactly the eight class names below (Byte Buddy's default would ignore every
 * bootstrap class), and it gives the instrumented JDK modules ({@code java.base}, {@code java.net.http})
 * a read edge to the bootstrap package the advice calls.
 */
public final class HttpClientHooks {
  static final String JDK_CLIENT_BUILDER = "jdk.internal.net.http.HttpClientBuilderImpl";
  static final String URL_CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
  static final String APACHE_CLASSIC_BUILDER = "org.apache.hc.client5.http.impl.classic.HttpClientBuilder";
  static final String APACHE_ASYNC_BUILDER = "org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder";
  static final String OKHTTP_CLIENT = "okhttp3.OkHttpClient";
  static final String OKHTTP_BUILDER = "okhttp3.OkHttpClient$Builder";
  static final String JETTY_CLIENT = "org.eclipse.jetty.client.HttpClient";
  static final String VERTX_CLIENT_API = "io.vertx.core.http.HttpClient";
  static final String VERTX_CLIENT = "io.vertx.core.http.impl.HttpClientImpl";

  private HttpClientHooks() { }

  public static void install(Instrumentation instrumentation, AgentClassLoader agentLoader) {
    Bridge.install(Bridge.JDK_HTTP_CLIENT, libraryObject -> JdkHttpClientHook.INSTANCE);
    Bridge.install(Bridge.HTTP_URL_CONNECTION, libraryObject -> UrlConnectionHook.INSTANCE);
    Bridge.install(Bridge.APACHE_HTTP_CLIENT, new LibraryHooks(APACHE_CLASSIC_BUILDER,
        new String[] {APACHE_ASYNC_BUILDER}, "io.whatap.httpclient.apache.ApacheBuilderHook",
        new String[] {"io.whatap.httpclient.apache."}, agentLoader));
    Bridge.install(Bridge.OKHTTP, new LibraryHooks(OKHTTP_CLIENT, new String[] {OKHTTP_BUILDER},
        "io.whatap.httpclient.okhttp.OkHttpAgentHook", new String[] {"io.whatap.httpclient.okhttp."}, agentLoader));
    Bridge.install(Bridge.JETTY_HTTP_CLIENT, new LibraryHooks(JETTY_CLIENT, "io.whatap.httpclient.jetty.JettyAgentHook",
        new String[] {"io.whatap.httpclient.jetty."}, agentLoader));
    Bridge.install(Bridge.VERTX_HTTP_CLIENT, new LibraryHooks(VERTX_CLIENT_API,
        "io.whatap.httpclient.vertx.VertxAgentHook", new String[] {"io.whatap.httpclient.vertx."}, agentLoader));
    transformations(instrumentation).installOn(instrumentation);
  }

  static AgentBuilder transformations(Instrumentation instrumentation) {
    return new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new LogListener())
        .assureReadEdgeTo(instrumentation, Bridge.class)
        .ignore(not(namedOneOf(JDK_CLIENT_BUILDER, URL_CONNECTION, APACHE_CLASSIC_BUILDER, APACHE_ASYNC_BUILDER,
            OKHTTP_CLIENT, OKHTTP_BUILDER, JETTY_CLIENT, VERTX_CLIENT)))
        .type(named(JDK_CLIENT_BUILDER))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(JdkHttpClientAdvice.class).on(named("build").and(takesArguments(0)))))
        .type(named(URL_CONNECTION))
        .transform((builder, type, loader, module, domain) -> builder
            .visit(Advice.to(UrlConnectionOpenAdvice.class)
                .on(namedOneOf("connect", "getOutputStream").and(takesArguments(0))))
            .visit(Advice.to(UrlConnectionReadAdvice.class).on(named("getInputStream").and(takesArguments(0)))))
        .type(namedOneOf(APACHE_CLASSIC_BUILDER, APACHE_ASYNC_BUILDER))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(ApacheBuilderAdvice.class).on(named("build").and(takesArguments(0)))))
        .type(named(OKHTTP_BUILDER))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(OkHttpBuilderAdvice.class).on(isConstructor())))
        .type(named(OKHTTP_CLIENT))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(OkHttpCallAdvice.class).on(named("newCall").and(takesArguments(1))
                .and(takesArgument(0, named("okhttp3.Request"))))))
        .type(named(JETTY_CLIENT))
        .transform((builder, type, loader, module, domain) -> builder.visit(
            Advice.to(JettyNewRequestAdvice.class).on(named("newRequest").and(takesArguments(1))
                .and(takesArgument(0, named("java.net.URI"))))))
        .type(named(VERTX_CLIENT))
        .transform((builder, type, loader, module, domain) -> builder
            .visit(Advice.to(VertxRequestAdvice.class).on(named("request").and(takesArguments(1))
                .and(takesArgument(0, named("io.vertx.core.http.RequestOptions")))))
            .visit(Advice.to(VertxRequestCallbackAdvice.class).on(named("request").and(takesArguments(2))
                .and(takesArgument(0, named("io.vertx.core.http.RequestOptions")))
                .and(takesArgument(1, named("io.vertx.core.Handler"))))));
  }

  /** Failures go to the agent log, once per class; the class loads (or stays) unchanged. */
  private static final class LogListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      AgentLog.get().warnOnce("transform:" + typeName, "could not instrument " + typeName
          + "; its outgoing HTTP calls are not recorded", throwable);
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      AgentLog.get().log(System.Logger.Level.DEBUG, "instrumented " + type.getName() + (loaded ? " (retransformed)" : ""));
    }
  }
}
