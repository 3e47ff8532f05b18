package io.whatap.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** How the whatap.* keys of a Spring environment become whatap.conf options. */
class BootAgentOptionsTest {
  @Test
  void whatapKeysLoseThePrefixExceptServerHostAndKebabCaseIsSnakeCase() {
    StandardEnvironment env = environment(Map.of(
        "whatap.app_name", "shop", "whatap.net-udp-port", "7000", "whatap.server.host", "10.0.0.1",
        "spring.application.name", "not-ours", "whatapx.other", "not-ours"));
    assertThat(BootAgentOptions.from(env)).containsExactly(
        Map.entry("app_name", "shop"), Map.entry("net_udp_port", "7000"), Map.entry("whatap.server.host", "10.0.0.1"));
  }

  @Test
  void theStartersSwitchAndTheStartOnlyKeysAreNotHandedOver() {
    StandardEnvironment env = environment(Map.of(
        "whatap.enabled", "true", "whatap.home", "/x", "whatap.config", "/x/whatap.conf", "whatap.license", "k"));
    assertThat(BootAgentOptions.from(env)).containsExactly(Map.entry("license", "k"));
  }

  @Test
  void theHighestPrecedenceSourceWinsAndPlaceholdersAreResolved() {
    StandardEnvironment env = environment(Map.of("whatap.app_name", "low", "whatap.net_udp_port", "${port}"));
    env.getPropertySources().addFirst(new MapPropertySource("high", Map.of("whatap.app_name", "high", "port", "7001")));
    assertThat(BootAgentOptions.from(env)).containsEntry("app_name", "high").containsEntry("net_udp_port", "7001");
  }

  @Test
  void aYamlListIsCommaSeparatedInIndexOrderAndAHigherSourcesListReplacesIt() {
    StandardEnvironment env = environment(Map.of(
        "whatap.trace_ignore_url_prefixes[1]", "/static", "whatap.trace_ignore_url_prefixes[0]", "/health",
        "whatap.trace_http_headers[0]", "x-low", "whatap.trace_http_headers[1]", "x-low-2",
        "whatap.bad[x]", "skipped", "whatap.bad2[0].y", "skipped"));
    env.getPropertySources().addFirst(new MapPropertySource("high", Map.of("whatap.trace_http_headers[0]", "x-high")));
    assertThat(BootAgentOptions.from(env)).containsExactly(
        Map.entry("trace_http_headers", "x-high"), Map.entry("trace_ignore_url_prefixes", "/health,/static"));
  }

  @Test
  void systemPropertiesAndEnvironmentVariablesAreLeftToTheAgentWhichReadsThemAboveTheseOptions() {
    StandardEnvironment env = environment(Map.of());
    env.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
        new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, Map.of("whatap.app_name", "sys")));
    env.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
        new MapPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of("whatap.net_udp_port", "1")));
    assertThat(BootAgentOptions.from(env)).isEmpty();
  }

  private static StandardEnvironment environment(Map<String, Object> applicationProperties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addLast(new MapPropertySource("application.properties", applicationProperties));
    return env;
  }
}
