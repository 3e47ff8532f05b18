package io.whatap.runtime;

import io.whatap.util.AgentLog;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.trace.TraceContext;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's life inside a container: users acquire and release it; the last release stops every
 * thread it started and closes every socket it opened; a later acquire starts a new agent that
 * works. The start-up line shows the options the first user brought, and a change again.
 */
class AgentLifecycleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path logs;

  private Map<String, String> options(UdpTestReceiver receiver, String appName) {
    Map<String, String> o = new HashMap<>(receiver.agentOptions());
    o.put("app_name", appName);
    o.put("banner_enabled", "false");
    o.put("log_dir", logs.toString());
    return o;
  }

  @Test
  void theLastReleaseStopsEveryThreadAndSocketAndALaterAcquireStartsAgain() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      stopAnyRunningAgent();
      Set<Thread> before = whatapThreads();
      openTheJdksOwnSocket();
      Set<String> socketsBefore = sockets();

      Agent first = Agent.acquire(options(receiver, "lifecycle-app"));
      Agent second = Agent.acquire(Map.of());
      assertThat(second).as("one agent per class loader, whoever asks").isSameAs(first);
      send(first, receiver, "/first");
      assertThat(names(newThreads(before))).contains("whatap-sender", "whatap-backchannel", "whatap-timer");
      assertThat(names(new ArrayList<>(whatapThreads()))).contains("whatap-log");

      Agent.release(first);
      assertThat(Agent.running()).as("one user left").isSameAs(first);
      send(first, receiver, "/still-running");

      Agent.release(first);
      assertThat(Agent.running()).isNull();
      assertThat(names(newThreads(before))).as("threads left after the last release").isEmpty();
      assertThat(sockets()).as("sockets left after the last release").isSubsetOf(socketsBefore);
      Agent.release(first); // one release too many does nothing
      assertThat(Agent.users()).isZero();

      Agent again = Agent.acquire(options(receiver, "lifecycle-app"));
      try {
        assertThat(again).isNotSameAs(first);
        send(again, receiver, "/again");
        assertThat(names(newThreads(before))).containsOnlyOnce("whatap-sender");
      } finally {
        Agent.release(again);
      }
      assertThat(names(newThreads(before))).isEmpty();
      assertThat(AgentLog.get().file()).exists();
      assertThat(Files.readString(AgentLog.get().file())).contains("its last user is gone");
    }
  }

  @Test
  void theStartupLineShowsTheFirstUsersOptionsAndAChangeIsLoggedAgain() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      stopAnyRunningAgent();
      Agent agent = Agent.acquire(options(receiver, "from-init-params"));
      try {
        Path log = AgentLog.get().file();
        assertThat(log).isEqualTo(logs.resolve("whatap-agent.log"));
        AgentLog.get().flush(5000);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines).filteredOn(l -> l.contains("] WhaTap agent " + Agent.VERSION + ": "))
            .as("the start-up line, written once the first user's options apply").singleElement().asString()
            .contains("app_name=from-init-params", "sending to 127.0.0.1:" + receiver.port(), "log " + log)
            .doesNotContain("java-app");

        agent.configure(Map.of("app_name", "renamed"));
        AgentLog.get().flush(5000);
        assertThat(Files.readAllLines(log)).filteredOn(l -> l.contains("] configuration changed: WhaTap agent "))
            .singleElement().asString().contains("app_name=renamed");

        agent.configure(Map.of("trace_sampling_rate", "50")); // not in the line: not logged again
        AgentLog.get().flush(5000);
        assertThat(Files.readAllLines(log)).filteredOn(l -> l.contains("configuration changed")).hasSize(1);
      } finally {
        Agent.release(agent);
      }
    }
  }

  /** Another test class may have left the JVM's agent running (Agent.get() without a user). */
  private static void stopAnyRunningAgent() {
    Agent running = Agent.running();
    if (running != null) {
      Agent.release(Agent.acquire(Map.of()));
    }
  }

  private static void send(Agent agent, UdpTestReceiver receiver, String uri) {
    TraceContext ctx = agent.tracer.start(uri);
    agent.tracer.end(ctx, 200, null);
    assertThat(receiver.awaitTransaction(uri, WAIT)).as("a transaction through the agent").isNotNull();
  }

  private static Set<Thread> whatapThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith("whatap-") && t.isAlive()) {
        threads.add(t);
      }
    }
    return threads;
  }

  private static List<Thread> newThreads(Set<Thread> before) {
    List<Thread> fresh = new ArrayList<>(whatapThreads());
    fresh.removeAll(before);
    return fresh;
  }

  private static List<String> names(List<Thread> threads) {
    List<String> names = new ArrayList<>();
    for (Thread t : threads) {
      names.add(t.getName());
    }
    return names;
  }

  /** This process's open sockets, as /proc/self/fd names them ("socket:[inode]"). */
  private static Set<String> sockets() throws IOException {
    Set<String> sockets = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:")) {
            sockets.add(target);
          }
        } catch (IOException e) {
          // closed while listing
        }
      }
    }
    return sockets;
  }

  /**
   * The JDK keeps one socket for the life of the JVM, made on the first FileChannel (the dispatcher's
   * pre-close descriptor, a socketpair end). The agent's log writer may be that first FileChannel
   * when this class runs alone; opening one here first leaves only the agent's own sockets to count.
   */
  private void openTheJdksOwnSocket() throws Exception {
    try (FileChannel warm = FileChannel.open(logs.resolve("warm-up"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      warm.size();
    }
  }
}
