package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined into {@code Driver.connect(String, Properties)} and {@code DataSource.getConnection(...)} (the URL: connect's first argument only). */
final class ConnectAdvice {
  private ConnectAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object source, @Advice.Origin("#m") String method,
      @Advice.Argument(value = 0, optional = true, typing = Assigner.Typing.DYNAMIC) Object firstArgument,
      @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.JDBC_CONNECT, null);
    return Bridge.enter(Bridge.JDBC_CONNECT, hook, source, "connect".equals(method) ? firstArgument : null, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.JDBC_CONNECT, hook, scope, returned, thrown);
  }
}
