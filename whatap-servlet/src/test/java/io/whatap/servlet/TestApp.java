package io.whatap.servlet;

import io.whatap.Whatap;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;

/** The test application, deployed through the portable Servlet API so Jetty and Tomcat run the same one. */
final class TestApp {
  static final String[] ROUTES = {
    "/hello", "/sentinel", "/boom", "/bad-argument", "/unavailable", "/conflict", "/error-page", "/redirect",
    "/users/*", "/mvc-users/*", "/echo", "/sql", "/slow", "/health", "/forward", "/include", "/async", "/async-timeout",
    "/async-start", "/async-dispatch", "/async-dispatch-boom", "/async-dispatch-unwrapped", "/async-unwrapped",
  };

  private TestApp() { }

  /**
   * The main context: WhatapFilter added with ServletContext.addFilter on every dispatcher type
   * (so that FORWARD, INCLUDE and ERROR dispatches do reach it), the routes, and a servlet that
   * registerApp traced twice behind the filter.
   */
  static ServletContainerInitializer main() {
    return (classes, ctx) -> {
      FilterRegistration.Dynamic filter = ctx.addFilter("whatap", new WhatapFilter());
      filter.setAsyncSupported(true);
      filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
      ServletRegistration.Dynamic routes = ctx.addServlet("routes", new RouteServlet());
      routes.setAsyncSupported(true);
      routes.addMapping(ROUTES);
      Servlet tracedTwice = Whatap.registerApp(Whatap.registerApp((Servlet) new RouteServlet()));
      ctx.addServlet("traced-twice", tracedTwice).addMapping("/traced-twice");
    };
  }

  /** A context without the filter: its only servlet is traced by Whatap.registerApp. */
  static ServletContainerInitializer plain() {
    return (classes, ctx) -> {
      ServletRegistration.Dynamic registered = ctx.addServlet("registered",
          Whatap.registerApp((Servlet) new RouteServlet()));
      registered.setAsyncSupported(true);
      registered.addMapping("/registered", "/async-start");
    };
  }
}
