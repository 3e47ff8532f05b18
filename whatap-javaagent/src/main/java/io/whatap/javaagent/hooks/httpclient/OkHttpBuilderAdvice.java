package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of every {@code okhttp3.OkHttpClient.Builder} constructor: whatap-httpclient's
 * interceptor goes first in the builder's list, so every client ({@code new OkHttpClient()} builds
 * through a {@code Builder} too) has it; a builder copied from a client already has it.
 */
final class OkHttpBuilderAdvice {
  private OkHttpBuilderAdvice() { }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.This Object builder) {
    Bridge.enter(Bridge.OKHTTP, Bridge.hook(Bridge.OKHTTP, builder), builder, null, null);
  }
}
