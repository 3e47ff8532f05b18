package io.whatap.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.servlet.WhatapFilter;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** When the auto-configuration registers the filter, and what the registration says. */
class WhatapAutoConfigurationTest {
  private final WebApplicationContextRunner web = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(WhatapAutoConfiguration.class));

  @Test
  void aServletApplicationGetsTheFilterFirstOnEveryPathAsyncSupportedWithTheWhatapPropertiesAsInitParams() {
    web.withPropertyValues("whatap.app_name=shop", "whatap.enabled=true").run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(WhatapAutoConfiguration.JavaagentNotice.class);
      FilterRegistrationBean<?> registration =
          context.getBean(WhatapAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class);
      assertThat(registration.getFilter()).isInstanceOf(WhatapFilter.class);
      assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
      assertThat(registration.isAsyncSupported()).isTrue();
      assertThat(registration.getUrlPatterns()).containsExactly("/*");
      assertThat(registration.getFilterName()).isEqualTo(WhatapAutoConfiguration.FILTER_NAME);
      assertThat(registration.getInitParameters()).containsExactly(java.util.Map.entry("app_name", "shop"));
    });
  }

  @Test
  void whatapEnabledFalseTurnsItOff() {
    web.withPropertyValues("whatap.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(WhatapAutoConfiguration.FILTER_REGISTRATION));
  }

  @Test
  void aNonWebApplicationGetsNothing() {
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WhatapAutoConfiguration.class))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(FilterRegistrationBean.class));
  }

  @Test
  void withoutWhatapServletOnTheClassPathItBacksOff() {
    web.withClassLoader(new FilteredClassLoader(WhatapFilter.class)).run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(WhatapAutoConfiguration.FILTER_REGISTRATION));
  }

  @Test
  void anApplicationsOwnRegistrationOfThatNameWins() {
    web.withUserConfiguration(OwnRegistration.class).run(context -> {
      FilterRegistrationBean<?> registration =
          context.getBean(WhatapAutoConfiguration.FILTER_REGISTRATION, FilterRegistrationBean.class);
      assertThat(registration.getOrder()).isEqualTo(7);
    });
  }

  @Test
  void theJavaagentIsNotDetectedInAJvmWithoutIt() {
    assertThat(WhatapJavaagent.attached()).isFalse();
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnRegistration {
    @Bean(WhatapAutoConfiguration.FILTER_REGISTRATION)
    FilterRegistrationBean<WhatapFilter> ownRegistration() {
      FilterRegistrationBean<WhatapFilter> registration = new FilterRegistrationBean<>(new WhatapFilter());
      registration.setOrder(7);
      return registration;
    }
  }
}
