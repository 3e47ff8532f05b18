package io.whatap.javaagent;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;

/** Inlined into woven methods: a method step (or a transaction of its own outside one). */
final class MethodAdvice {
  private MethodAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@ProfiledName String name, @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.METHOD, null);
    return Bridge.enter(Bridge.METHOD, hook, null, name, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.METHOD, hook, scope, null, thrown);
  }
}
