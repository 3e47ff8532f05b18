package io.whatap.javaagent.hooks.jaxrs;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/** Inlined at the end of Jersey's {@code ContainerResponse(ContainerRequest, OutboundJaxrsResponse)}: the request was matched (or not). */
public final class ResponseCreatedAdvice {
  private ResponseCreatedAdvice() { }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.Argument(0) Object request) {
    Bridge.enter(Bridge.JAXRS, Bridge.hook(Bridge.JAXRS, request), null, request, null);
  }
}
