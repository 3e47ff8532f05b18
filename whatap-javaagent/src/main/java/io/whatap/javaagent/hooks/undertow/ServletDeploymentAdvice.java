package io.whatap.javaagent.hooks.undertow;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of undertow-servlet's {@code DeploymentManagerImpl.start()}: a servlet deployment now serves requests. */
public final class ServletDeploymentAdvice {
  private ServletDeploymentAdvice() { }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Object manager, @Advice.Return Object handler) {
    Bridge.enter(Bridge.UNDERTOW, Bridge.hook(Bridge.UNDERTOW, handler), manager, handler, null);
  }
}
