package com.acme.starter;

import io.whatap.spring.boot.WhatapAutoConfiguration;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import java.io.IOException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring MVC application with the starter on its class path and no WhaTap code: the agent is
 * configured from application.properties. Run in the test JVM by StarterBootAppTest and in a
 * child JVM with the javaagent by StarterWithJavaagentIT.
 */
@SpringBootApplication
@RestController
public class StarterTestApp {
  static final String PROBE = "acme.tracedBeforeFirstAppFilter";

  private final ApplicationContext context;

  public StarterTestApp(ApplicationContext context) {
    this.context = context;
  }

  public static void main(String[] args) {
    SpringApplication.run(StarterTestApp.class, args);
  }

  @GetMapping("/users/{id}")
  public String user(@PathVariable("id") String id) {
    return "user " + id;
  }

  @GetMapping("/boom")
  public String boom() {
    throw new IllegalStateException("acme starter failure");
  }

  /** What the application's own highest-precedence filter saw: was the request already traced? */
  @GetMapping("/probe")
  public String probe(jakarta.servlet.http.HttpServletRequest request) {
    return String.valueOf(request.getAttribute(PROBE));
  }

  /** The starter's beans and the agent threads in this JVM, as the back-off test reads them. */
  @GetMapping("/whatap-state")
  public String whatapState() {
    long timers = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("whatap-timer")).count();
    return "filterRegistration=" + context.containsBean(WhatapAutoConfiguration.FILTER_REGISTRATION)
        + " javaagentNotice=" + !context.getBeansOfType(WhatapAutoConfiguration.JavaagentNotice.class).isEmpty()
        + " timerThreads=" + timers;
  }

  /**
   * An application filter at the highest precedence, a plain Filter bean as Boot's own encoding
   * filter is: it records whether WhaTap's filter ran before it.
   */
  @Bean
  FirstApplicationFilter firstApplicationFilter() {
    return new FirstApplicationFilter();
  }

  static final class FirstApplicationFilter implements Filter, Ordered {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      request.setAttribute(PROBE, wrapsTracedRequest(request));
      chain.doFilter(request, response);
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }

  private static boolean wrapsTracedRequest(ServletRequest request) {
    while (request != null) {
      if (request.getClass().getName().equals("io.whatap.servlet.TracedRequest")) {
        return true;
      }
      request = request instanceof ServletRequestWrapper ? ((ServletRequestWrapper) request).getRequest() : null;
    }
    return false;
  }
}
