package io.whatap.javaagent;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;

/** Inlined into methods annotated with {@code @BatchProfiling}: one batch-job run per call. */
final class BatchAdvice {
  private BatchAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@ProfiledName String name, @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.BATCH, null);
    return Bridge.enter(Bridge.BATCH, hook, null, name, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.BATCH, hook, scope, null, thrown);
  }
}
