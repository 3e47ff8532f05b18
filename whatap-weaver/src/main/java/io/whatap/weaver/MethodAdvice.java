package io.whatap.weaver;

import io.whatap.profiling.MethodProfiler;
import net.bytebuddy.asm.Advice;

/** Inlined into woven methods: a method step (or a transaction of its own outside one). */
final class MethodAdvice {
  private MethodAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@ProfiledName String name) {
    return MethodProfiler.enter(name);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
    MethodProfiler.exit(scope, thrown);
  }
}
