package io.whatap.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.whatap.Whatap;
import io.whatap.util.AgentLog;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The switch of the auto-registration and the exact registration it makes. */
class WhatapInitializerTest {
  private final ServletContext servletContext = mock(ServletContext.class);

  @BeforeEach
  @AfterEach
  void off() {
    System.clearProperty(WhatapInitializer.PROPERTY);
    Whatap.configure(Map.of(WhatapInitializer.CONF_KEY, "false"));
  }

  @Test
  void doesNothingUnlessAskedTo() {
    new WhatapInitializer().onStartup(Set.of(), servletContext);
    verifyNoInteractions(servletContext);
  }

  @Test
  void theSystemPropertyAddsTheFilterFirstForRequestAndAsyncDispatches() {
    FilterRegistration.Dynamic registration = mock(FilterRegistration.Dynamic.class);
    when(servletContext.addFilter("whatap", WhatapFilter.class)).thenReturn(registration);
    System.setProperty(WhatapInitializer.PROPERTY, "true");

    new WhatapInitializer().onStartup(Set.of(), servletContext);

    verify(registration).setAsyncSupported(true);
    verify(registration).addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
  }

  @Test
  void theSystemPropertyOverridesTheConfiguration() {
    Whatap.configure(Map.of(WhatapInitializer.CONF_KEY, "true"));
    System.setProperty(WhatapInitializer.PROPERTY, "false");

    new WhatapInitializer().onStartup(Set.of(), servletContext);

    verifyNoInteractions(servletContext);
  }

  @Test
  void anApplicationsOwnFilterNamedWhatapIsKept() {
    Whatap.configure(Map.of(WhatapInitializer.CONF_KEY, "true"));
    when(servletContext.addFilter(eq("whatap"), any(Class.class))).thenReturn(null);

    long failuresBefore = AgentLog.get().occurrences("servlet-auto-register");

    new WhatapInitializer().onStartup(Set.of(), servletContext);

    verify(servletContext).addFilter("whatap", WhatapFilter.class);
    assertThat(AgentLog.get().occurrences("servlet-auto-register")).as("no failure logged").isEqualTo(failuresBefore);
  }
}
