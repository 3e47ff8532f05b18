package io.whatap.spring.boot;

import io.whatap.servlet.WhatapFilter;
import io.whatap.spi.AgentLogs;
import jakarta.servlet.DispatcherType;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * WhaTap for a Spring Boot servlet application without the javaagent: {@link WhatapFilter}
 * registered as the first filter, the agent configured from the {@code whatap.*} keys of the
 * Spring environment. Off with {@code whatap.enabled=false}, and off by itself when
 * {@code -javaagent:whatap-javaagent.jar} is attached (the javaagent traces the application; two
 * agents would trace every request twice).
 *
 * <p>Before Boot's encoding filter's auto-configuration: that filter is registered at the same
 * highest precedence, and among equal orders Boot keeps the order in which the beans were
 * defined, so this one comes first. (The names are Boot 3's and Boot 4's.)
 */
@AutoConfiguration(beforeName = {
    "org.springframework.boot.autoconfigure.web.servlet.HttpEncodingAutoConfiguration",
    "org.springframework.boot.servlet.autoconfigure.HttpEncodingAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = {"jakarta.servlet.Filter", "io.whatap.servlet.WhatapFilter"})
@ConditionalOnProperty(prefix = "whatap", name = "enabled", havingValue = "true", matchIfMissing = true)
public class WhatapAutoConfiguration {
  /** The bean name; an application bean of this name replaces the starter's registration. */
  public static final String FILTER_REGISTRATION = "whatapFilterRegistration";
  /** The filter's name in the servlet context. */
  public static final String FILTER_NAME = "whatapFilter";

  private static final Log LOG = LogFactory.getLog(WhatapAutoConfiguration.class);

  /**
   * The {@code whatap.*} options travel as the filter's init-params: the filter starts the agent
   * with them already applied (so its first transaction and its start-up line already follow
   * them), and stops it when Boot stops the web server.
   */
  @Bean(FILTER_REGISTRATION)
  @ConditionalOnMissingBean(name = FILTER_REGISTRATION)
  @Conditional(WhatapJavaagent.Absent.class)
  public FilterRegistrationBean<WhatapFilter> whatapFilterRegistration(ConfigurableEnvironment environment) {
    Map<String, String> options = BootAgentOptions.from(environment);
    FilterRegistrationBean<WhatapFilter> registration = new FilterRegistrationBean<>(new WhatapFilter());
    registration.setInitParameters(options);
    if (!options.isEmpty()) {
      // the keys only: values may hold the license key
      AgentLogs.info("whatap-spring-boot-starter: options from the Spring environment " + options.keySet());
    }
    registration.setName(FILTER_NAME);
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setAsyncSupported(true);
    // ERROR dispatches are recognised by the filter and never become transactions of their own
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
    registration.addUrlPatterns("/*");
    return registration;
  }

  /**
   * With the javaagent attached the starter registers nothing; this bean only says so, once, in
   * the application's log, since the agent then ignores the {@code whatap.*} Spring properties.
   */
  @Bean
  @Conditional(WhatapJavaagent.Present.class)
  public JavaagentNotice whatapJavaagentNotice(ConfigurableEnvironment environment) {
    int ignored = BootAgentOptions.from(environment).size();
    LOG.info("WhaTap javaagent attached: whatap-spring-boot-starter registers nothing (the javaagent traces"
        + " this application)" + (ignored == 0 ? "" : "; " + ignored + " whatap.* Spring propert"
        + (ignored == 1 ? "y is" : "ies are") + " not applied: configure the javaagent with whatap.conf,"
        + " WHATAP_* variables or -Dwhatap.* options"));
    return new JavaagentNotice();
  }

  /** The bean that stands for the back-off (a marker: the condition report and tests find it). */
  public static final class JavaagentNotice {
    JavaagentNotice() { }
  }
}
