package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into Vert.x 4.5's {@code HttpClientImpl.request(RequestOptions, Handler)} (gone in 5): as
 * {@link VertxRequestAdvice}, with the application's callback replaced by one that ends the step first.
 */
final class VertxRequestCallbackAdvice {
  private VertxRequestCallbackAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object client,
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object options,
      @Advice.Argument(value = 1, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object callback,
      @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.VERTX_HTTP_CLIENT, client);
    Object scope = Bridge.enter(Bridge.VERTX_HTTP_CLIENT, hook, client, options, null);
    if (scope != null) {
      options = Bridge.argument(Bridge.VERTX_HTTP_CLIENT, hook, scope, options);
      callback = Bridge.argument(Bridge.VERTX_HTTP_CLIENT, hook, scope, callback);
    }
    return scope;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.VERTX_HTTP_CLIENT, hook, scope, null, thrown);
  }
}
