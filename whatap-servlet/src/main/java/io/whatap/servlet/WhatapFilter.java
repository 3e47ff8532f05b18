package io.whatap.servlet;

import io.whatap.Whatap;
import io.whatap.spi.HttpServerTracing;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;

/**
 * Traces every request it filters as one WhaTap transaction: synchronous and asynchronous
 * requests, errors the application throws (rethrown unchanged) or sets, as the client saw them.
 * Register it with {@code <async-supported>true</async-supported>} on {@code /*} for the
 * REQUEST and ASYNC dispatcher types; FORWARD, INCLUDE and ERROR dispatches are recognised and
 * never become transactions of their own. Filter init-params set whatap.conf keys (e.g.
 * {@code app_name}) for the whole JVM's agent, below {@code WHATAP_*} variables and
 * {@code -Dwhatap.*} properties.
 */
public final class WhatapFilter implements Filter {
  private final ServletTracing tracing = ServletTracing.create();

  public WhatapFilter() { }

  @Override
  public void init(FilterConfig config) {
    try {
      Map<String, String> options = new HashMap<>();
      Enumeration<String> names = config.getInitParameterNames();
      while (names != null && names.hasMoreElements()) {
        String name = names.nextElement();
        options.put(name, config.getInitParameter(name));
      }
      if (!options.isEmpty()) {
        Whatap.configure(options);
      }
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("servlet-init-params", "cannot apply the WhatapFilter init-params", e);
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    tracing.handle(request, response, chain);
  }
}
