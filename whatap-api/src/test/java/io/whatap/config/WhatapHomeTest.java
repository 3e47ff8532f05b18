package io.whatap.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** WHATAP_HOME: -Dwhatap.home, WHATAP_HOME, catalina.base, jetty.base, the working directory, in that order. */
class WhatapHomeTest {
  private static Properties props(String... kv) {
    Properties p = new Properties();
    for (int i = 0; i < kv.length; i += 2) {
      p.setProperty(kv[i], kv[i + 1]);
    }
    return p;
  }

  @Test
  void tomcatsBaseIsTheDefaultInsideTomcat() {
    assertThat(ConfigLoader.home(Map.of(), props("catalina.base", "/opt/tomcat-base", "catalina.home", "/opt/tomcat")))
        .isEqualTo(Path.of("/opt/tomcat-base"));
  }

  @Test
  void jettysBaseIsTheDefaultInsideJetty() {
    assertThat(ConfigLoader.home(Map.of(), props("jetty.base", "/srv/jetty-base", "jetty.home", "/opt/jetty")))
        .isEqualTo(Path.of("/srv/jetty-base"));
  }

  @Test
  void anExplicitHomeWinsOverTheContainersBase() {
    Properties sys = props("catalina.base", "/opt/tomcat-base", "jetty.base", "/srv/jetty-base");
    assertThat(ConfigLoader.home(Map.of("WHATAP_HOME", "/etc/whatap"), sys)).isEqualTo(Path.of("/etc/whatap"));
    sys.setProperty("whatap.home", "/var/whatap");
    assertThat(ConfigLoader.home(Map.of("WHATAP_HOME", "/etc/whatap"), sys)).as("-Dwhatap.home beats WHATAP_HOME")
        .isEqualTo(Path.of("/var/whatap"));
  }

  @Test
  void catalinaBaseBeatsJettyBaseAndBlankValuesCountAsUnset() {
    assertThat(ConfigLoader.home(Map.of("WHATAP_HOME", " "), props("whatap.home", "", "catalina.base", "/t",
        "jetty.base", "/j"))).isEqualTo(Path.of("/t"));
  }

  @Test
  void outsideAContainerItIsTheWorkingDirectory() {
    assertThat(ConfigLoader.home(Map.of(), props())).isEqualTo(Path.of("").toAbsolutePath());
  }

  @Test
  void aRelativeBaseIsMadeAbsolute() {
    assertThat(ConfigLoader.home(Map.of(), props("catalina.base", "base"))).isAbsolute()
        .isEqualTo(Path.of("base").toAbsolutePath());
  }
}
