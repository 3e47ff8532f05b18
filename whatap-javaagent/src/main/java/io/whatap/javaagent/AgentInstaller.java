package io.whatap.javaagent;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.whatap.config.Config;
import io.whatap.config.ConfigLoader;
import io.whatap.util.AgentLog;
import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.hooks.httpclient.HttpClientHooks;
import io.whatap.javaagent.hooks.jaxrs.JaxRsHooks;
import io.whatap.javaagent.hooks.undertow.UndertowHooks;
import io.whatap.javaagent.hooks.vertx.VertxHooks;
import io.whatap.javaagent.hooks.webflux.WebFluxHooks;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Runs inside the isolated {@link AgentClassLoader}, called once by the bootstrap
 * {@code AgentStarter}: installs the hooks in {@link Bridge} and the transformations that inline
 * advice calling them. As classes load after the agent started (JDK classes, classes loaded
 * earlier and every {@code io.whatap.} class are left alone), it instruments:
 * <ul>
 *   <li>methods annotated {@code @io.whatap.MethodProfiling} or {@code @io.whatap.BatchProfiling}
 *   and the methods named by {@code hook_method_patterns} (read once at start from whatap.conf,
 *   WHATAP_* or -Dwhatap.*): whatap-api's {@code MethodProfiler};</li>
 *   <li>{@code service(ServletRequest, ServletResponse)} of every Jakarta servlet and
 *   {@code doFilter(ServletRequest, ServletResponse, FilterChain)} of every filter: whatap-servlet's
 *   tracing, the code {@code WhatapFilter} runs;</li>
 *   <li>Vert.x Web routers, Undertow root handlers, Spring WebFlux's
 *   {@code HttpWebHandlerAdapter} and Jersey's route templates: see the {@code io.whatap.javaagent.hooks} packages.</li>
 * </ul>
 * Types are matched by name from their class files: no application class is loaded early.
 */
public final class AgentInstaller {
  static final String METHOD_PROFILING = "io.whatap.MethodProfiling";
  static final String BATCH_PROFILING = "io.whatap.BatchProfiling";
  static final String SERVLET_REQUEST = "jakarta.servlet.ServletRequest";
  static final String SERVLET_RESPONSE = "jakarta.servlet.ServletResponse";
  /** Defined by the per-servlet-API adapter loader: whatap-servlet plus the hook that drives it. */
  static final String SERVLET_HOOK = "io.whatap.servlet.ServletEntryHook";
  static final String[] SERVLET_ADAPTER_PACKAGES = {"io.whatap.servlet."};

  private AgentInstaller() { }

  public static void install(String arguments, Instrumentation instrumentation, AgentClassLoader agentLoader) {
    try {
      ConfigLoader loader = ConfigLoader.fromEnvironment();
      Config c = loader.current();
      String logDir = c.get("log_dir");
      AgentLog.get().configure(logDir == null || logDir.isBlank() ? loader.home().resolve("logs") : Path.of(logDir),
          System.Logger.Level.INFO);
      Bridge.errorSink((where, t) -> AgentLog.get().warnOnce(where, "an instrumented call failed inside the agent"
          + " (" + where + "); the call went on untraced", t));
      HookPatterns hooks = HookPatterns.parse(c.hookMethodPatterns);
      for (String bad : hooks.rejected()) {
        AgentLog.get().log(System.Logger.Level.WARNING, "hook_method_patterns: '" + bad
            + "' is neither Class.method nor Class.*; ignored");
      }
      Bridge.install(Bridge.METHOD, MethodHooks.METHOD);
      Bridge.install(Bridge.BATCH, MethodHooks.BATCH);
      Bridge.install(Bridge.SERVLET, new LibraryHooks(SERVLET_REQUEST, SERVLET_HOOK, SERVLET_ADAPTER_PACKAGES,
          agentLoader));
      VertxHooks.install(agentLoader);
      UndertowHooks.install(agentLoader);
      WebFluxHooks.install(agentLoader);
      JaxRsHooks.install(agentLoader);
      AgentBuilder builder = transformations(hooks);
      builder = VertxHooks.transformations(builder);
      builder = UndertowHooks.transformations(builder);
      builder = WebFluxHooks.transformations(builder);
      builder = JaxRsHooks.transformations(builder);
      builder.installOn(instrumentation);
      HttpClientHooks.install(instrumentation, agentLoader);
      AgentLog.get().info("WhaTap javaagent installed: servlet entry, Vert.x Web routers, Undertow, WebFlux, JAX-RS names, HTTP clients, @MethodProfiling, @BatchProfiling and "
          + hooks.classes().size() + " hooked class(es)");
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("javaagent-install", "the javaagent could not start; nothing is instrumented", e);
    }
  }

  static AgentBuilder transformations(HookPatterns hooks) {
    ElementMatcher.Junction<MethodDescription> annotated = isAnnotatedWith(named(METHOD_PROFILING))
        .or(isAnnotatedWith(named(BATCH_PROFILING)));
    return new AgentBuilder.Default()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        // the application need not carry whatap-api at run time: @MethodProfiling and
        // @BatchProfiling resolve from the agent's own copy when its class loader lacks them
        .with(AgentBuilder.LocationStrategy.ForClassLoader.STRONG.withFallbackTo(
            ClassFileLocator.ForClassLoader.of(AgentInstaller.class.getClassLoader())))
        .with(new LogListener())
        .ignore(nameStartsWith("io.whatap.")
            .or(nameStartsWith("java."))
            .or(nameStartsWith("jdk."))
            .or(nameStartsWith("sun."))
            .or(nameStartsWith("com.sun."))
            .or(isSynthetic()))
        .type(declaresMethod(annotated).or(namedOneOf(hooks.classes().toArray(new String[0]))))
        .transform((builder, type, loader, module, domain) -> weave(builder, type, hooks))
        .type(not(isInterface()).and(declaresMethod(servletEntry())).and(TypeMatchers.safely(hasSuperType(
            named("jakarta.servlet.Servlet").or(named("jakarta.servlet.Filter"))))))
        .transform((builder, type, loader, module, domain) ->
            builder.visit(Advice.to(ServletAdvice.class).on(servletEntry())));
  }

  /** {@code service(ServletRequest, ServletResponse)} and {@code doFilter(ServletRequest, ServletResponse, FilterChain)}, with a body. */
  static ElementMatcher.Junction<MethodDescription> servletEntry() {
    ElementMatcher.Junction<MethodDescription> requestAndResponse = takesArgument(0, named(SERVLET_REQUEST))
        .and(takesArgument(1, named(SERVLET_RESPONSE)));
    return not(isAbstract()).and(requestAndResponse).and(
        named("service").and(takesArguments(2))
            .or(named("doFilter").and(takesArguments(3)).and(takesArgument(2, named("jakarta.servlet.FilterChain")))));
  }

  private static DynamicType.Builder<?> weave(DynamicType.Builder<?> builder, TypeDescription type,
      HookPatterns hooks) {
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      if (!m.isMethod() || m.isAbstract() || m.isNative() || m.isSynthetic() || m.isBridge()) {
        continue;
      }
      String defaultName = type.getName() + "." + m.getName();
      Class<?> advice = null;
      String name = defaultName;
      for (AnnotationDescription a : m.getDeclaredAnnotations()) {
        String annotation = a.getAnnotationType().getName();
        if (annotation.equals(BATCH_PROFILING) || (annotation.equals(METHOD_PROFILING) && advice == null)) {
          advice = annotation.equals(BATCH_PROFILING) ? BatchAdvice.class : MethodAdvice.class;
          String value = a.getValue("value").resolve(String.class);
          name = value.isEmpty() ? defaultName : value;
        }
      }
      if (advice == null && hooks.matches(type.getName(), m.getName())) {
        advice = MethodAdvice.class;
      }
      if (advice != null) {
        builder = builder.visit(Advice.withCustomMapping().bind(ProfiledName.class, name).to(advice)
            .on(net.bytebuddy.matcher.ElementMatchers.is(m)));
      }
    }
    return builder;
  }

  /** Transformation failures go to the agent log, once per class; the class loads unchanged. */
  private static final class LogListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      AgentLog.get().warnOnce("transform:" + typeName, "could not instrument " + typeName
          + "; it loads unchanged", throwable);
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      AgentLog.get().log(System.Logger.Level.DEBUG, "instrumented " + type.getName());
    }
  }
}
