package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code io.vertx.core.http.impl.HttpClientImpl.request(RequestOptions)} (4.5 and 5):
 * on the caller's thread the step starts and the options are replaced by a copy with the headers;
 * the returned future gets the listener that ends the step, before the caller sees it.
 */
final class VertxRequestAdvice {
  private VertxRequestAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object client,
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object options,
      @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.VERTX_HTTP_CLIENT, client);
    Object scope = Bridge.enter(Bridge.VERTX_HTTP_CLIENT, hook, client, options, null);
    if (scope != null) {
      options = Bridge.argument(Bridge.VERTX_HTTP_CLIENT, hook, scope, options);
    }
    return scope;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook,
      @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object created, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.VERTX_HTTP_CLIENT, hook, scope, created, thrown);
  }
}
