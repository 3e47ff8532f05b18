package io.whatap.javaagent.hooks.vertx;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of {@code RouterImpl(Vertx)}: the new router gets the agent's traced first route. */
public final class RouterCreatedAdvice {
  private RouterCreatedAdvice() { }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Object router, @Advice.Argument(0) Object vertx) {
    Bridge.enter(Bridge.VERTX, Bridge.hook(Bridge.VERTX, router), router, vertx, null);
  }
}
