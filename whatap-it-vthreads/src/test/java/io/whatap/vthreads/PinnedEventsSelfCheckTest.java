package io.whatap.vthreads;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Whatap;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import loadapp.ParksInItsInitializer;
import org.junit.jupiter.api.Test;

/**
 * The pinning check of the load tests can fail: a virtual thread pinned inside a transaction
 * (it blocks in a class initializer called under {@code Whatap.transaction}) is recorded, with a
 * stack deep enough to show the agent's frame, and is reported as pinned through io.whatap.
 */
class PinnedEventsSelfCheckTest {

  @Test
  void aVirtualThreadPinnedUnderAnAgentFrameIsReported() throws Exception {
    VirtualThreads.requireSupported();
    List<RecordedEvent> events;
    try (PinnedEvents pinned = PinnedEvents.start()) {
      Thread t = VirtualThreads.start(() -> Whatap.transaction("pin-self-check", ParksInItsInitializer::touch));
      t.join(10_000);
      assertThat(t.isAlive()).isFalse();
      events = pinned.stop();
    }
    List<RecordedEvent> ours = PinnedEvents.throughTheAgent(events);
    assertThat(ours).as("events: %s", events).isNotEmpty();
    assertThat(PinnedEvents.describe(ours.get(0))).contains("loadapp.ParksInItsInitializer.<clinit>")
        .contains("io.whatap.Whatap.transaction");
  }
}
