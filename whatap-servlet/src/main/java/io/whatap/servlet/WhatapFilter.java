package io.whatap.servlet;

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
 *
 * <p>Each filter is one user of the agent from {@link #init} to {@link #destroy}: the agent starts
 * with the first (its init-params already applied, so its start-up line shows them) and stops
 * with the last, threads, sockets and all, so that undeploying the application leaves nothing
 * behind; a filter that is initialised again starts it again.
 */
public final class WhatapFilter implements Filter {
  /** Until {@link #init}, and when the agent could not start: requests pass through untraced. */
  private volatile ServletTracing tracing = ServletTracing.UNTRACED;
  private HttpServerTracing.Lease agent;

  public WhatapFilter() { }

  @Override
  public void init(FilterConfig config) {
    Map<String, String> options = new HashMap<>();
    try {
      Enumeration<String> names = config.getInitParameterNames();
      while (names != null && names.hasMoreElements()) {
        String name = names.nextElement();
        options.put(name, config.getInitParameter(name));
      }
    } catch (RuntimeException e) {
      HttpServerTracing.failure("servlet-init-params", "cannot read the WhatapFilter init-params", e);
    }
    try {
      synchronized (this) {
        if (agent == null) {
          agent = HttpServerTracing.acquire(options);
        } else if (!options.isEmpty()) {
          agent.configure(options);
        }
        tracing = ServletTracing.create(agent);
      }
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("servlet-agent", "the agent did not start; servlet requests are not traced", e);
    }
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    tracing.handle(request, response, chain);
  }

  /** This filter no longer uses the agent: the last one gone stops it. */
  @Override
  public void destroy() {
    HttpServerTracing.Lease a;
    synchronized (this) {
      a = agent;
      agent = null;
      tracing = ServletTracing.UNTRACED;
    }
    try {
      if (a != null) {
        a.release();
      }
    } catch (RuntimeException | Error e) {
      HttpServerTracing.failure("servlet-agent-stop", "stopping the agent failed", e);
    }
  }
}
