package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.StateHolder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code ResultSet.next()} and {@code close()} of classes the agent made
 * {@link StateHolder}s: a ResultSet no recorded query returned (outside a transaction, the driver's
 * own under a pool's proxy) costs a field read and no call into the agent.
 */
final class ResultSetAdvice {
  private ResultSetAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object resultSet, @Advice.Origin("#m") String method,
      @Advice.Local("whatapHook") Hook hook) {
    Object link = ((StateHolder) resultSet).whatap$state();
    if (link == null) {
      return null;
    }
    hook = Bridge.hook(Bridge.JDBC_RESULT_SET, null);
    return Bridge.enter(Bridge.JDBC_RESULT_SET, hook, resultSet, link, method);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.JDBC_RESULT_SET, hook, scope, returned, thrown);
  }
}
