package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/** Inlined into {@code Statement.close()}, {@code Statement.getMoreResults(...)} and {@code Connection.close()}: before the original code. */
final class CloseAdvice {
  private CloseAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object self) {
    Bridge.enter(Bridge.JDBC_CLOSE, Bridge.hook(Bridge.JDBC_CLOSE, null), self, null, null);
  }
}
