package io.whatap.servlet;

import io.whatap.spi.HttpServerTracing;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Opt-in auto-registration: when {@code -Dwhatap.servlet.auto=true} (or, without that property,
 * {@code servlet_auto_register=true} in whatap.conf, a {@code WHATAP_SERVLET_AUTO_REGISTER}
 * variable or a {@code -Dwhatap.servlet_auto_register} property), every web application that
 * has this jar on its class path gets {@link WhatapFilter} as its first filter on {@code /*}
 * for REQUEST and ASYNC dispatches. An application that declares its own filter named
 * "whatap" keeps it.
 *
 * <p>Deciding starts nothing: the setting is read from the running agent's configuration, or,
 * when none runs, from the configuration sources directly. The filter it adds starts the agent in
 * its {@code init}, with its init-params applied, and stops it in {@code destroy} like a filter
 * declared in web.xml.
 */
public final class WhatapInitializer implements ServletContainerInitializer {
  static final String FILTER_NAME = "whatap";
  static final String PROPERTY = "whatap.servlet.auto";
  static final String CONF_KEY = "servlet_auto_register";

  public WhatapInitializer() { }

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext servletContext) {
    try {
      if (!enabled()) {
        return;
      }
      FilterRegistration.Dynamic filter = servletContext.addFilter(FILTER_NAME, WhatapFilter.class);
      if (filter == null) {
        return;
      }
      filter.setAsyncSupported(true);
      filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("servlet-auto-register", "cannot add WhatapFilter to "
          + servletContext.getContextPath() + "; add it in web.xml instead", e);
    }
  }

  static boolean enabled() {
    String property = System.getProperty(PROPERTY);
    if (property != null) {
      return flag(PROPERTY, property);
    }
    return flag(CONF_KEY, HttpServerTracing.option(CONF_KEY, "false"));
  }

  private static boolean flag(String key, String value) {
    switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true": case "yes": case "on": case "1":
        return true;
      case "false": case "no": case "off": case "0": case "":
        return false;
      default:
        HttpServerTracing.failure("config:" + key, key + "=" + value
            + ": not a boolean (true/false); using the default false", null);
        return false;
    }
  }
}
