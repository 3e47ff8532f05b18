package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the start of {@code build()} of Apache HttpClient 5's classic and async builders: whatap-httpclient's handler goes first in the chain. */
final class ApacheBuilderAdvice {
  private ApacheBuilderAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object builder) {
    Bridge.enter(Bridge.APACHE_HTTP_CLIENT, Bridge.hook(Bridge.APACHE_HTTP_CLIENT, builder), builder, null, null);
  }
}
