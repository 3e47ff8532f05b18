package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;

/** Inlined into whatap-jdbc's wrappers' connect and execute methods: what they call inside is nested. */
final class LibraryWrapperAdvice {
  private LibraryWrapperAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.JDBC_LIBRARY_WRAPPER, null);
    return Bridge.enter(Bridge.JDBC_LIBRARY_WRAPPER, hook, null, null, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook) {
    Bridge.exit(Bridge.JDBC_LIBRARY_WRAPPER, hook, scope, null, null);
  }
}
