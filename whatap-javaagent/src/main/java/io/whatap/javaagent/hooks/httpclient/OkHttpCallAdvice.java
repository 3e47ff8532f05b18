package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined at the start of {@code okhttp3.OkHttpClient.newCall(Request)}: on the application's
 * thread, where its transaction is current, the call starts and the request handed on carries the
 * headers and the call (as whatap-httpclient's {@code Call.Factory} does), so {@code execute()} and
 * {@code enqueue()} are both recorded; the interceptor ends the call on whatever thread runs it.
 */
final class OkHttpCallAdvice {
  private OkHttpCallAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object client,
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
    Hook hook = Bridge.hook(Bridge.OKHTTP, client);
    Object scope = Bridge.enter(Bridge.OKHTTP, hook, client, request, null);
    if (scope != null) {
      request = Bridge.argument(Bridge.OKHTTP, hook, scope, request);
    }
  }
}
