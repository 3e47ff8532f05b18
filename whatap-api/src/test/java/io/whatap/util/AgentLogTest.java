package io.whatap.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
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

  /**
   * We run as root, who can write into any directory: the unusable log_dir is one no user can
   * write into, an existing regular file or a path under one.
   */
  @Test
  void aLogDirThatIsAFileFallsBackWithOneWarningLineSayingWhy() throws Exception {
    Path notADir = Files.writeString(home.resolve("a-file"), "x");
    Path fallback = home.resolve("logs");
    AgentLog log = new AgentLog(home.resolve("tmp"));
    String printed = printedWhile(() -> {
      log.log(Level.INFO, "said before the log had a directory");
      log.configure(notADir, fallback, Level.INFO);
      log.info("said after");
      log.configure(notADir, fallback, Level.INFO); // a reload with the same log_dir
      log.flush(5000);
    });

    assertThat(log.file()).isEqualTo(fallback.resolve("whatap-agent.log"));
    String written = Files.readString(log.file());
    assertThat(written).contains("said before the log had a directory").contains("said after")
        .contains("the agent log cannot be written to " + notADir + " (" + notADir + " is a file, not a directory)"
            + "; logging to " + fallback + " instead");
    assertThat(written.lines().filter(l -> l.contains("cannot be written")).count()).isEqualTo(1);
    assertThat(Files.readString(notADir)).isEqualTo("x");
    assertThat(printed).isEmpty();
  }

  @Test
  void whenTheFallbackIsUnusableTooTheLogGoesToTheTempDir() throws Exception {
    Path file = Files.writeString(home.resolve("a-file"), "x");
    Path underAFile = file.resolve("logs");
    Path fallbackUnderAFile = file.resolve("home").resolve("logs");
    Path temp = home.resolve("tmp");
    AgentLog log = new AgentLog(temp);
    String printed = printedWhile(() -> {
      log.configure(underAFile, fallbackUnderAFile, Level.INFO);
      log.info("kept in the temp dir");
      log.flush(5000);
    });

    assertThat(log.file()).isEqualTo(temp.resolve("whatap-agent.log"));
    assertThat(Files.readString(log.file())).contains("kept in the temp dir")
        .contains("the agent log cannot be written to " + underAFile + " (").contains(fallbackUnderAFile + " (")
        .contains("; logging to " + temp + " instead");
    assertThat(printed).isEmpty();
  }

  @Test
  void withNowhereToWriteNothingReachesTheApplicationsOutput() throws Exception {
    Path file = Files.writeString(home.resolve("a-file"), "x");
    AgentLog log = new AgentLog(file.resolve("tmp"));
    String printed = printedWhile(() -> {
      log.configure(file.resolve("a"), file.resolve("b"), Level.INFO);
      log.info("lost");
      log.flush(5000);
    });
    assertThat(printed).isEmpty();
    assertThat(log.errorCount()).isEqualTo(1);
    assertThat(Files.readString(file)).isEqualTo("x");
  }

  /** What the application's stdout and stderr received while {@code action} ran. */
  private static String printedWhile(Runnable action) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      action.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return printed.toString(StandardCharsets.UTF_8);
  }
}
