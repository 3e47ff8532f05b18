package io.whatap.javaagent.hooks.jaxrs;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into RESTEasy's {@code ResourceMethodInvoker.invokeOnTarget(HttpRequest, HttpResponse, Object)}:
 * at its start the request matched this resource method (the route); at its end, the exception the
 * resource method threw, which RESTEasy turns into a 500 response itself (the servlet hook would
 * see the status only).
 */
public final class ResteasyInvokeAdvice {
  private ResteasyInvokeAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object invoker, @Advice.Argument(0) Object request,
      @Advice.Local("hook") Hook hook, @Advice.Local("scope") Object scope) {
    hook = Bridge.hook(Bridge.RESTEASY, invoker);
    scope = Bridge.enter(Bridge.RESTEASY, hook, invoker, request, null);
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Thrown Throwable thrown, @Advice.Local("hook") Hook hook,
      @Advice.Local("scope") Object scope) {
    if (thrown != null && scope != null) {
      Bridge.exit(Bridge.RESTEASY, hook, scope, null, thrown);
    }
  }
}
