package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code Connection.prepareStatement(String, ...)}, {@code prepareCall(String, ...)},
 * {@code createStatement(...)} and {@code Statement.getResultSet()}: the returned object gets its state.
 */
final class StatementMadeAdvice {
  private StatementMadeAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object self, @Advice.Origin("#m") String method,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object firstArgument,
      @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.JDBC_STATEMENT, null);
    return Bridge.enter(Bridge.JDBC_STATEMENT, hook, self, "createStatement".equals(method) ? null : firstArgument,
        method);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned, @Advice.Thrown Throwable thrown) {
    if (thrown == null) {
      Bridge.exit(Bridge.JDBC_STATEMENT, hook, scope, returned, null);
    }
  }
}
