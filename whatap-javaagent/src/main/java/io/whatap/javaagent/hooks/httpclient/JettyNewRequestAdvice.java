package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Inlined at the end of Jetty 12's {@code org.eclipse.jetty.client.HttpClient.newRequest(URI)}: the new request is traced before the application sees it. */
final class JettyNewRequestAdvice {
  private JettyNewRequestAdvice() { }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Object client, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object request) {
    Bridge.enter(Bridge.JETTY_HTTP_CLIENT, Bridge.hook(Bridge.JETTY_HTTP_CLIENT, client), client, request, null);
  }
}
