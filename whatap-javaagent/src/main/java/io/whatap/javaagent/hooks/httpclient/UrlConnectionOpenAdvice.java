package io.whatap.javaagent.hooks.httpclient;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code connect()} and {@code getOutputStream()} of
 * {@code sun.net.www.protocol.http.HttpURLConnection} (HTTPS connections delegate to a subclass):
 * the first of them on a connection starts its exchange and adds the headers, while the request
 * can still take them; a throw (connect refused, timeout) ends the exchange with that failure.
 */
final class UrlConnectionOpenAdvice {
  private UrlConnectionOpenAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object connection, @Advice.FieldValue("connected") boolean connected,
      @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.HTTP_URL_CONNECTION, null);
    return Bridge.enter(Bridge.HTTP_URL_CONNECTION, hook, connection, connected ? Boolean.TRUE : Boolean.FALSE, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook, @Advice.Thrown Throwable thrown) {
    if (thrown != null) {
      Bridge.exit(Bridge.HTTP_URL_CONNECTION, hook, scope, null, thrown);
    }
  }
}
