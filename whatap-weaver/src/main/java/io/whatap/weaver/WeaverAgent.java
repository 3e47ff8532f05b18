package io.whatap.weaver;

import io.whatap.config.Config;
import io.whatap.config.ConfigLoader;
import io.whatap.util.AgentLog;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * The optional {@code -javaagent:whatap-weaver.jar}: as classes load, it weaves the methods
 * annotated with {@code @io.whatap.MethodProfiling} or {@code @io.whatap.BatchProfiling} and the
 * methods named by {@code hook_method_patterns} (read once at start from whatap.conf, WHATAP_* or
 * -Dwhatap.*) with a small advice that calls whatap-api's {@code MethodProfiler}. Classes loaded
 * before the agent, JDK classes and the agent's own are left alone. Byte Buddy is relocated inside
 * this jar, so the application's own Byte Buddy (if any) is untouched.
 */
public final class WeaverAgent {
  static final String METHOD_PROFILING = "io.whatap.MethodProfiling";
  static final String BATCH_PROFILING = "io.whatap.BatchProfiling";

  private WeaverAgent() { }

  public static void premain(String arguments, Instrumentation instrumentation) {
    try {
      ConfigLoader loader = ConfigLoader.fromEnvironment();
      Config c = loader.current();
      String logDir = c.get("log_dir");
      AgentLog.get().configure(logDir == null || logDir.isBlank() ? loader.home().resolve("logs") : Path.of(logDir),
          System.Logger.Level.INFO);
      HookPatterns hooks = HookPatterns.parse(c.hookMethodPatterns);
      for (String bad : hooks.rejected()) {
        AgentLog.get().log(System.Logger.Level.WARNING, "hook_method_patterns: '" + bad
            + "' is neither Class.method nor Class.*; ignored");
      }
      install(hooks, instrumentation);
      AgentLog.get().info("WhaTap weaver installed: @MethodProfiling, @BatchProfiling and "
          + hooks.classes().size() + " hooked class(es)");
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("weaver-install", "the weaver could not start; nothing is woven", e);
    }
  }

  static void install(HookPatterns hooks, Instrumentation instrumentation) {
    ElementMatcher.Junction<MethodDescription> annotated = ElementMatchers.isAnnotatedWith(
        ElementMatchers.named(METHOD_PROFILING)).or(ElementMatchers.isAnnotatedWith(
        ElementMatchers.named(BATCH_PROFILING)));
    new AgentBuilder.Default()
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(new LogListener())
        .ignore(ElementMatchers.nameStartsWith("net.bytebuddy.")
            .or(ElementMatchers.nameStartsWith("io.whatap."))
            .or(ElementMatchers.nameStartsWith("java."))
            .or(ElementMatchers.nameStartsWith("jdk."))
            .or(ElementMatchers.nameStartsWith("sun."))
            .or(ElementMatchers.isSynthetic()))
        .type(ElementMatchers.<TypeDescription>declaresMethod(annotated)
            .or(ElementMatchers.namedOneOf(hooks.classes().toArray(new String[0]))))
        .transform((builder, type, loader, module, domain) -> weave(builder, type, hooks))
        .installOn(instrumentation);
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
            .on(ElementMatchers.is(m)));
      }
    }
    return builder;
  }

  /** Weaving failures go to the agent log, once per class; the class loads unwoven. */
  private static final class LogListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
        Throwable throwable) {
      AgentLog.get().warnOnce("weave:" + typeName, "could not weave " + typeName + "; it runs unprofiled", throwable);
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
        DynamicType dynamicType) {
      AgentLog.get().log(System.Logger.Level.DEBUG, "woven " + type.getName());
    }
  }
}
