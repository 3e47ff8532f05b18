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
      // which of Agent.close's waits pins first (the sender's, the back channel's, the timer's join)
      // depends on which thread is still running: any of them, under the initializer, is the point
      assertThat(ours).anySatisfy(e -> assertThat(PinnedEvents.describe(e)).contains("io.whatap.runtime.")
          .contains("io.whatap.runtime.Agent.close").contains("loadapp.ClosesAnAgentInItsInitializer.<clinit>"));
    }
  }
}
