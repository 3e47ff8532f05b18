package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into the execute methods, {@code addBatch} and {@code clearBatch} of statements: the SQL
 * argument of a plain statement's methods (null for the no-argument ones) and the method's name (a
 * constant) go to the hook; the result, boxed, and what was thrown come back to it. The original
 * exception goes on unchanged.
 */
final class ExecuteAdvice {
  private ExecuteAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object statement, @Advice.Origin("#m") String method,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object sql,
      @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.JDBC_EXECUTE, null);
    return Bridge.enter(Bridge.JDBC_EXECUTE, hook, statement, sql, method);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.JDBC_EXECUTE, hook, scope, returned, thrown);
  }
}
