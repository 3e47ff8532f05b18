package io.whatap.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentVersionTest {
  @Test
  void theVersionIsTheOneMavenBuilt() {
    // a release sets the poms' version; the start-up line and the dashboard must follow it
    assertThat(System.getProperty("whatap.test.project_version")).isNotBlank();
    assertThat(Agent.VERSION).isEqualTo(System.getProperty("whatap.test.project_version"));
  }
}
