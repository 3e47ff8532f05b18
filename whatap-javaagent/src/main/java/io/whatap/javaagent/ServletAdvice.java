package io.whatap.javaagent;

import io.whatap.javaagent.bootstrap.Bridge;
import io.whatap.javaagent.bootstrap.Hook;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code service(ServletRequest, ServletResponse)} of servlets and
 * {@code doFilter(ServletRequest, ServletResponse, FilterChain)} of filters: the outermost such
 * call of a request starts its transaction and hands the code below a traced request (which is how
 * the inner calls know they are inner); written against Object so that this class never needs the
 * servlet API.
 */
final class ServletAdvice {
  private ServletAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(
      @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
      @Advice.Argument(1) Object response, @Advice.Local("whatapHook") Hook hook) {
    hook = Bridge.hook(Bridge.SERVLET, request);
    Object scope = Bridge.enter(Bridge.SERVLET, hook, null, request, response);
    if (scope != null) {
      request = Bridge.argument(Bridge.SERVLET, hook, scope, request);
    }
    return scope;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object scope, @Advice.Local("whatapHook") Hook hook, @Advice.Thrown Throwable thrown) {
    Bridge.exit(Bridge.SERVLET, hook, scope, null, thrown);
  }
}
