package io.whatap.javaagent.hooks.vertx;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the start of {@code RouteImpl.handler(Handler)}: tells the hook which handler a route
 * of which router gets (the router is the route's private field, readable from inlined code only).
 */
public final class RouteHandlerAdvice {
  private RouteHandlerAdvice() { }

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static void enter(@Advice.This Object route, @Advice.Argument(0) Object handler,
      @Advice.FieldValue("router") Object router) {
    Bridge.enter(Bridge.VERTX, Bridge.hook(Bridge.VERTX, router), route, handler, router);
  }
}
