package io.whatap.javaagent.hooks.webflux;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code HttpWebHandlerAdapter.handle(ServerHttpRequest, ServerHttpResponse)}: starts
 * the request's transaction, and returns a {@code Mono} that ends it when the original one
 * terminates.
 */
public final class HandleAdvice {
  private HandleAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object adapter, @Advice.Argument(0) Object request,
      @Advice.Argument(1) Object response, @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.WEBFLUX, request);
    return Bridge.enter(Bridge.WEBFLUX, hook, adapter, request, response);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    returned = Bridge.exitReturning(Bridge.WEBFLUX, hook, scope, returned, thrown);
  }
}
