package io.whatap.wsgi;

import io.whatap.spi.AppWrapper;

/** {@code Whatap.registerApp} for {@link WsgiApp}: returns a traced WsgiApp. */
public final class WsgiAppWrapper implements AppWrapper {
  @Override
  public String supportedType() {
    return WsgiApp.class.getName();
  }

  @Override
  public boolean supports(Object handler) {
    return handler instanceof WsgiApp;
  }

  @Override
  public Object wrap(Object handler) {
    return TracedWsgiApp.wrap((WsgiApp) handler);
  }
}
