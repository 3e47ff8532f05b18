package io.whatap.vthreads;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.ConfigLoader;
import io.whatap.runtime.Agent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import jdk.jfr.consumer.RecordedEvent;
import loadapp.ClosesAnAgentInItsInitializer;
import loadapp.VirtualThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinning check of the load tests can fail: a virtual thread that blocks in agent code while
 * pinned (a standalone agent closed inside a class initializer waits for its sender thread) is
 * recorded, with a stack deep enough to show the agent's frame, and is blamed on the agent.
 */
class PinnedEventsSelfCheckTest {
  @TempDir Path home;

  @Test
  void aVirtualThreadBlockedByAgentCodeWhilePinnedIsReported() throws Exception {
    VirtualThreads.requireSupported();
    try (CountingUdpReceiver receiver = new CountingUdpReceiver()) {
      ConfigLoader loader = new ConfigLoader(home, Map.of(), new Properties());
      Map<String, String> options = new HashMap<>(receiver.agentOptions());
      options.put("banner_enabled", "false");
      loader.override(options);
      ClosesAnAgentInItsInitializer.Target.agent = Agent.startStandalone(loader);
      List<RecordedEvent> events;
      try (PinnedEvents pinned = PinnedEvents.start()) {
        Thread t = VirtualThreads.start(ClosesAnAgentInItsInitializer::touch);
        t.join(10_000);
        assertThat(t.isAlive()).isFalse();
        events = pinned.stop();
      }
      List<RecordedEvent> ours = PinnedEvents.causedByTheAgent(events);
      assertThat(ours).as("events: %s", events).isNotEmpty();
      assertThat(PinnedEvents.describe(ours.get(0))).contains("io.whatap.runtime.UdpSender.shutdown")
          .contains("loadapp.ClosesAnAgentInItsInitializer.<clinit>");
    }
  }
}
