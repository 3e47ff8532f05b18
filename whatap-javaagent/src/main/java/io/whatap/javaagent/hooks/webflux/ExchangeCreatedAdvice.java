package io.whatap.javaagent.hooks.webflux;

import io.whatap.javaagent.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;

/**
 * Inlined at the end of {@code HttpWebHandlerAdapter.createExchange}, which {@code handle} calls on
 * its own thread: the hook keeps the exchange, whose attributes carry the matched pattern and the
 * handled exception when the request ends.
 */
public final class ExchangeCreatedAdvice {
  private ExchangeCreatedAdvice() { }

  @Advice.OnMethodExit(suppress = Throwable.class)
  static void exit(@Advice.Argument(0) Object request, @Advice.Return Object exchange) {
    Bridge.enter(Bridge.WEBFLUX, Bridge.hook(Bridge.WEBFLUX, request), exchange, null, null);
  }
}
