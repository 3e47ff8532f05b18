package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined at the end of {@code jdk.internal.net.http.HttpClientBuilderImpl.build()}: the built client is replaced by the traced one. */
final class JdkHttpClientAdvice {
  private JdkHttpClientAdvice() { }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object client) {
    Hook hook = Bridge.hook(Bridge.JDK_HTTP_CLIENT, null);
    Object traced = Bridge.enter(Bridge.JDK_HTTP_CLIENT, hook, null, client, null);
    if (traced != null) {
      client = traced;
    }
  }
}
