package io.whatap.javaagent.hooks.undertow;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the start of {@code Undertow.Builder.build()}: the root handler the server is about
 * to be built with (the builder's private field, whichever way it was set) is replaced by the
 * traced one the hook returns.
 */
public final class BuildAdvice {
  private BuildAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object builder,
      @Advice.FieldValue(value = "handler", readOnly = false, typing = Assigner.Typing.DYNAMIC) Object handler) {
    Hook hook = Bridge.hook(Bridge.UNDERTOW, handler);
    Object scope = Bridge.enter(Bridge.UNDERTOW, hook, builder, handler, null);
    if (scope != null) {
      handler = Bridge.argument(Bridge.UNDERTOW, hook, scope, handler);
    }
  }
}
