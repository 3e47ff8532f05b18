package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code getInputStream()} of {@code sun.net.www.protocol.http.HttpURLConnection}
 * ({@code getResponseCode()}, {@code getHeaderField...} go through it): starts the exchange if no
 * earlier call did and ends it with the response code it parsed (redirects followed inside are part
 * of the same exchange). A 4xx/5xx throws here with a response code: that is the callee's answer.
 */
final class UrlConnectionReadAdvice {
  private UrlConnectionReadAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object connection, @Advice.FieldValue("connected") boolean connected,
      @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.HTTP_URL_CONNECTION, null);
    return Bridge.enter(Bridge.HTTP_URL_CONNECTION, hook, connection, connected ? Boolean.TRUE : Boolean.FALSE, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook,
      @Advice.FieldValue("responseCode") int responseCode, @Advice.Thrown Throwable thrown) {
    if (scope != null) {
      Bridge.exit(Bridge.HTTP_URL_CONNECTION, hook, scope, Integer.valueOf(responseCode), thrown);
    }
  }
}
