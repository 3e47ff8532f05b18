package io.whatap.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.util.AgentLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path home;

  private void write(String text) throws IOException {
    Files.writeString(home.resolve("whatap.conf"), text);
  }

  @Test
  void seedKeysHaveTheirDefaults() {
    Config c = new ConfigLoader(home, Map.of(), new Properties()).current();
    assertThat(c.netUdpHost).isEqualTo("127.0.0.1");
    assertThat(c.netUdpPort).isEqualTo(6600);
    assertThat(c.license).isEmpty();
    assertThat(c.serverHost).isEmpty();
    assertThat(c.appName).isEqualTo("java-app");
    assertThat(c.problems()).isEmpty();
  }

  @Test
  void precedenceIsFileThenOverridesThenEnvironmentThenSystemProperties() throws IOException {
    write("app_name=from-file\nnet_udp_port=7001\nlicense=abc\nwhatap.server.host=10.0.0.1\napp_process_name=p\n");
    Properties sys = new Properties();
    sys.setProperty("whatap.net_udp_port", "7004");
    ConfigLoader loader = new ConfigLoader(home,
        Map.of("WHATAP_APP_PROCESS_NAME", "from-env", "WHATAP_NET_UDP_PORT", "7003",
            "WHATAP_WHATAP_SERVER_HOST", "10.0.0.3"), sys);
    loader.override(Map.of("app_name", "from-code", "app_process_name", "from-code"));
    Config c = loader.current();
    assertThat(c.appName).isEqualTo("from-code");
    assertThat(c.appProcessName).isEqualTo("from-env");
    assertThat(c.netUdpPort).isEqualTo(7004);
    assertThat(c.serverHost).isEqualTo("10.0.0.3");
    assertThat(c.license).isEqualTo("abc");
  }

  @Test
  void aChangedFileIsReadAgainAndListenersHearOfIt() throws IOException {
    write("app_name=one\n");
    ConfigLoader loader = new ConfigLoader(home, Map.of(), new Properties());
    String[] seen = new String[1];
    loader.addListener(c -> seen[0] = c.appName);
    assertThat(loader.reloadIfChanged()).isFalse();
    write("app_name=two-longer\n");
    Files.setLastModifiedTime(home.resolve("whatap.conf"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(loader.reloadIfChanged()).isTrue();
    assertThat(loader.current().appName).isEqualTo("two-longer");
    assertThat(seen[0]).isEqualTo("two-longer");
  }

  @Test
  void badValuesFallBackToDefaultsAndSayWhy() throws IOException {
    write("net_udp_port=seventy\nprofile_step_max=-5\ntrace_thread_cpu_enabled=maybe\n"
        + "active_bands_ms=5,4,3,2\nlog_level=LOUD\n");
    Config c = new ConfigLoader(home, Map.of(), new Properties()).current();
    assertThat(c.netUdpPort).isEqualTo(6600);
    assertThat(c.profileStepMax).isEqualTo(1000);
    assertThat(c.traceThreadCpu).isFalse();
    assertThat(c.activeBandsMs).containsExactly(1000, 3000, 8000, 15000);
    assertThat(c.logLevel).isEqualTo("INFO");
    assertThat(c.problems()).hasSize(5)
        .anySatisfy(p -> assertThat(p).isEqualTo("net_udp_port=seventy: not an integer; using the default 6600"))
        .anySatisfy(p -> assertThat(p).startsWith("profile_step_max=-5: out of range"));
  }

  @Test
  void aMissingFileIsNotAnError() {
    ConfigLoader loader = new ConfigLoader(home.resolve("nowhere"), Map.of(), new Properties());
    assertThat(loader.current().problems()).isEmpty();
    assertThat(loader.reloadIfChanged()).isFalse();
  }

  @Test
  void errorStatusRuleIsConfigurable() {
    ConfigLoader loader = new ConfigLoader(home, Map.of(), new Properties());
    assertThat(loader.current().isErrorStatus(500)).isTrue();
    assertThat(loader.current().isErrorStatus(404)).isFalse();
    loader.override(Map.of("trace_error_status_min", "400", "trace_error_status_ignore", "404,503"));
    Config c = loader.current();
    assertThat(c.isErrorStatus(400)).isTrue();
    assertThat(c.isErrorStatus(404)).isFalse();
    assertThat(c.isErrorStatus(503)).isFalse();
  }

  /**
   * One malformed escape used to make Properties.load throw, and the whole file was lost: the
   * application's name, port and license reverted to their defaults and data went to another port.
   */
  @Test
  void aBadLineIsSkippedWithItsNumberAndReasonAndTheRestOfTheFileIsKeptAtStartAndOnReload() throws Exception {
    AgentLog.get().configure(home.resolve("logs"), System.Logger.Level.INFO);
    Path log = home.resolve("logs").resolve("whatap-agent.log");
    write("app_name=shop\n# a comment\nlicense=secret-lic\\u12G4\nnet_udp_port=7007\n");
    ConfigLoader loader = new ConfigLoader(home, Map.of(), new Properties());
    Config c = loader.current();
    assertThat(c.appName).isEqualTo("shop");
    assertThat(c.netUdpPort).isEqualTo(7007);
    assertThat(c.raw()).doesNotContainKey("license");
    AgentLog.get().flush(5000);
    assertThat(Files.readString(log))
        .contains(home.resolve("whatap.conf") + " line 3: a malformed \\uXXXX escape")
        .contains("in the value of license; line skipped (the rest of the file is kept)")
        .doesNotContain("secret-lic");

    loader.override(Map.of("app_process_name", "p")); // a rebuild without a change in the file
    AgentLog.get().flush(5000);
    assertThat(count(Files.readString(log), "line 3: a malformed")).isEqualTo(1);

    write("app_name=shop-two\nnet_udp_port=7008\\u00\nlog_level=DEBUG\n");
    Files.setLastModifiedTime(home.resolve("whatap.conf"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
    assertThat(loader.reloadIfChanged()).isTrue();
    c = loader.current();
    assertThat(c.appName).isEqualTo("shop-two");
    assertThat(c.logLevel).isEqualTo("DEBUG");
    assertThat(c.netUdpPort).isEqualTo(6600);
    AgentLog.get().flush(5000);
    assertThat(Files.readString(log)).contains("line 2: a malformed \\uXXXX escape (fewer than four hex digits)"
        + " in the value of net_udp_port");
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
