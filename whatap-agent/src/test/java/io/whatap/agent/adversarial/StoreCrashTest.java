package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.Frames;
import io.whatap.testing.Await;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store across the agent process's life: what a stopped agent committed is there after a
 * restart, and so is what a {@code kill -9} during sustained writes had committed (the database
 * opens, passes SQLite's integrity check, and the agent goes on writing to it).
 */
class StoreCrashTest {
  private static final Map<String, String> STORE = Map.of("agent_store_enabled", "true", "agent_interval_ms", "1000");
  private static final int PID = 5151;

  @TempDir
  Path home;

  /** Transactions the store has committed (all applications, fine rows), read by a connection of the test's own. */
  private long committed() throws Exception {
    Path db = home.resolve("data").resolve("agent.db");
    if (!java.nio.file.Files.exists(db)) {
      return 0;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COALESCE(SUM(count), 0) FROM app_interval WHERE app = '' AND res = 1000")) {
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return 0; // not created yet (the agent is making the schema)
    }
  }

  private static void send(DatagramSocket socket, int port, long txid) throws Exception {
    byte[] d = Frames.transaction(txid, PID, System.currentTimeMillis() - 5, 5, "/crash/" + (txid % 7), txid % 10 == 0);
    socket.send(new DatagramPacket(d, d.length, InetAddress.getLoopbackAddress(), port));
  }

  @Test
  void committedHistorySurvivesARestartAndAKillDuringWrites() throws Exception {
    long txid = 0;
    try (DatagramSocket socket = new DatagramSocket()) {
      try (ForkedAgent agent = ForkedAgent.start(home, 128, 0, STORE)) {
        for (int i = 0; i < 50; i++) {
          send(socket, agent.udpPort, ++txid);
        }
        Await.until("the store committed 50 transactions", Duration.ofSeconds(30), () -> committedQuietly() >= 50);
        ForkedAgent.Response r = agent.get("/api/agent");
        assertThat(r.body()).contains("\"store\"");
      } // a normal stop (SIGTERM)
      assertThat(committed()).isEqualTo(50);

      ForkedAgent second = ForkedAgent.start(home, 128, 0, STORE);
      AtomicBoolean sending = new AtomicBoolean(true);
      AtomicLong next = new AtomicLong(txid);
      long seenBeforeKill;
      try {
        assertThat(committed()).as("kept across the restart").isEqualTo(50);
        Thread writer = new Thread(() -> {
          try (DatagramSocket s = new DatagramSocket()) {
            while (sending.get()) {
              send(s, second.udpPort, next.incrementAndGet());
              if (next.get() % 20 == 0) {
                // pacing, not waiting for anything: about 10,000 transactions a second, sustained, not a flood
                LockSupport.parkNanos(1_000_000L);
              }
            }
          } catch (Exception e) {
            // the agent was killed: nothing listens any more
          }
        }, "crash-test-sender");
        writer.start();
        Await.until("a few intervals committed under load", Duration.ofSeconds(60), () -> committedQuietly() >= 3000);
        seenBeforeKill = committed();
        second.process.destroyForcibly(); // SIGKILL, in the middle of the writes
        second.process.waitFor();
        sending.set(false);
        writer.join(10_000);
      } finally {
        second.close();
      }
      long afterKill = committed();
      assertThat(afterKill).as("everything committed before the kill is there").isGreaterThanOrEqualTo(seenBeforeKill);
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("data").resolve("agent.db"));
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        assertThat(rs.getString(1)).isEqualTo("ok");
      }

      try (ForkedAgent third = ForkedAgent.start(home, 128, 0, STORE)) {
        for (int i = 0; i < 20; i++) {
          send(socket, third.udpPort, next.incrementAndGet());
        }
        Await.until("the restarted agent writes to the same store", Duration.ofSeconds(30),
            () -> committedQuietly() >= afterKill + 20);
        assertThat(third.get("/api/agent").body()).doesNotContain("cannot open the store");
      }
    }
  }

  private long committedQuietly() {
    try {
      return committed();
    } catch (Exception e) {
      return 0;
    }
  }
}
