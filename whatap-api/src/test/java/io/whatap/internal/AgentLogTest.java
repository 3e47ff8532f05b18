package io.whatap.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLogTest {
  @TempDir Path home;

  /**
   * The first configuration is read before the log knows its directory (the directory is itself
   * an option): what was said then, such as a bad value in whatap.conf, must still reach the file.
   */
  @Test
  void whatIsLoggedBeforeTheLogHasADirectoryIsWrittenWhenItGetsOne() throws Exception {
    AgentLog log = new AgentLog();
    log.log(Level.WARNING, "config: net_udp_port=abc: not an integer; using the default 6600");
    log.warnOnce("config-read", "cannot read whatap.conf", null);

    log.configure(home, Level.INFO);

    log.flush(5000);
    String written = Files.readString(home.resolve("whatap-agent.log"));
    assertThat(written).contains("net_udp_port=abc: not an integer; using the default 6600")
        .contains("cannot read whatap.conf");
  }

  @Test
  void theEarlyBufferIsBoundedAndSaysHowManyLinesItDropped() throws Exception {
    AgentLog log = new AgentLog();
    int lines = AgentLog.EARLY_LINES + 25;
    for (int i = 0; i < lines; i++) {
      log.log(Level.WARNING, "early line " + i);
    }
    log.flush(5000); // the writer thread has seen every line while the log had no directory

    log.configure(home, Level.INFO);

    log.flush(5000);
    String written = Files.readString(home.resolve("whatap-agent.log"));
    assertThat(written).contains("early line 0").contains("early line " + (AgentLog.EARLY_LINES - 1))
        .doesNotContain("early line " + AgentLog.EARLY_LINES)
        .contains("25 earlier log lines were dropped");
  }
}
