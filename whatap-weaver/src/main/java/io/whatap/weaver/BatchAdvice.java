package io.whatap.weaver;

import io.whatap.profiling.MethodProfiler;
import net.bytebuddy.asm.Advice;

/** Inlined into methods annotated with {@code @BatchProfiling}: one batch-job run per call. */
final class BatchAdvice {
  private BatchAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@ProfiledName String name) {
    return MethodProfiler.enterBatch(name);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
    MethodProfiler.exit(scope, thrown);
  }
}
