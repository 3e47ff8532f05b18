package io.whatap.servlet;

import io.whatap.spi.AppWrapper;
import jakarta.servlet.Servlet;

/**
 * {@code Whatap.registerApp(servlet)}: a Jakarta {@link Servlet} comes back as a Servlet that
 * traces each request like {@link WhatapFilter}. Loadable without the servlet API on the class
 * path (this jar may sit next to other adapters), where it simply supports nothing.
 */
public final class ServletAppWrapper implements AppWrapper {
  private static final String SERVLET = "jakarta.servlet.Servlet";
  private static final Class<?> SERVLET_TYPE = servletType();

  public ServletAppWrapper() { }

  private static Class<?> servletType() {
    try {
      return Class.forName(SERVLET, false, ServletAppWrapper.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  @Override
  public String supportedType() {
    return SERVLET;
  }

  @Override
  public boolean supports(Object handler) {
    return SERVLET_TYPE != null && SERVLET_TYPE.isInstance(handler);
  }

  @Override
  public Object wrap(Object handler) {
    return TracedServlet.wrap((Servlet) handler);
  }
}
