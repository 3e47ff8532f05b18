package io.whatap.vthreads;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Whatap;
import io.whatap.runtime.Agent;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import loadapp.LoadCounters;
import loadapp.VirtualThreads;
import org.junit.jupiter.api.Test;

/**
 * 100,000 requests, each on a virtual thread of its own, through an adapter on a server that runs
 * requests on virtual threads, over keep-alive loopback connections. Shows that:
 * <ul>
 *   <li>every request was traced: the application saw its transaction on every request (and
 *       across a hop to another virtual thread), the agent ended one transaction per request and
 *       dropped none, and a real UDP receiver on loopback got every one of them;
 *   <li>the agent pins no carrier thread: no JFR {@code jdk.VirtualThreadPinned} event (threshold
 *       0) recorded during the load was caused by {@code io.whatap.*} code (see
 *       {@link PinnedEvents#causedByTheAgent});
 *   <li>nothing the agent keeps per thread grows with the number of virtual threads: the heap
 *       after a full GC after 100,000 requests is within a generous bound of the heap after
 *       10,000, and the active table is back to zero.
 * </ul>
 */
public abstract class VirtualThreadLoadTest {
  static final int WARM_UP = 10_000;
  static final int REQUESTS = 100_000;
  static final int CONNECTIONS = 8;
  /**
   * Growth of the heap after GC allowed between 10,000 and 100,000 requests: 16 MiB is a lot
   * more than the noise (a few MiB), and a little less than 90,000 leaked objects of 190 bytes,
   * the size of a thread-local map with one entry.
   */
  static final long HEAP_GROWTH_BOUND = 16L << 20;
  /**
   * The containers serve a keep-alive connection's next request on the thread that finished the
   * previous one when it has already arrived (Jetty: about one virtual thread per 12 requests
   * here), so each request's own new virtual thread is the hop the application makes; the serving
   * threads must still be far more than a pool's.
   */
  static final long MIN_SERVING_THREADS = 1_000;
  static final Duration WAIT = Duration.ofSeconds(60);

  protected final LoadCounters counters = new LoadCounters();

  /** Starts the server with the adapter and the load application at GET /load; returns its base URL. */
  protected abstract String startServer() throws Exception;

  protected abstract void stopServer() throws Exception;

  /** The adapter and server, for messages. */
  protected abstract String serverName();

  @Test
  void aHundredThousandRequestsOnVirtualThreadsAreTracedWithoutPinningOrGrowth() throws Exception {
    VirtualThreads.requireSupported();
    Agent agent = Agent.get();
    try (CountingUdpReceiver receiver = new CountingUdpReceiver()) {
      Map<String, String> options = new HashMap<>(receiver.agentOptions());
      options.put("counter_interval_ms", "600000");
      Whatap.configure(options);
      String base = startServer();
      try {
        KeepAliveClient client = new KeepAliveClient(base);
        long ended0 = agent.meters.transactionsTotal();
        long dropped0 = agent.sender.transactionsDropped.sum();
        long rejected0 = agent.active.rejectedCount();

        PinnedEvents pinned = PinnedEvents.start();
        long heapAt10k;
        long heapAt100k;
        try {
          assertThat(client.run("/load", CONNECTIONS, WARM_UP)).isEqualTo(WARM_UP);
          awaitQuiet(agent, receiver, WARM_UP);
          heapAt10k = heapAfterGc();

          assertThat(client.run("/load?phase=2", CONNECTIONS, REQUESTS - WARM_UP)).isEqualTo(REQUESTS - WARM_UP);
          awaitQuiet(agent, receiver, REQUESTS);
          heapAt100k = heapAfterGc();
        } finally {
          List<RecordedEvent> events = pinned.stop();
          pinned.close();
          List<RecordedEvent> ours = PinnedEvents.causedByTheAgent(events);
          System.out.println(serverName() + ": " + events.size() + " jdk.VirtualThreadPinned event(s), "
              + ours.size() + " caused by io.whatap.*");
          for (RecordedEvent e : events) {
            System.out.println("pinned (not by the agent unless listed above):\n" + PinnedEvents.describe(e));
          }
          assertThat(ours).as("pinned virtual threads the agent caused:\n%s",
              ours.stream().map(PinnedEvents::describe).collect(Collectors.joining("\n---\n"))).isEmpty();
        }

        long ended = agent.meters.transactionsTotal() - ended0;
        System.out.println(serverName() + ": " + counters + "; agent ended " + ended + ", dropped "
            + (agent.sender.transactionsDropped.sum() - dropped0) + ", receiver got " + receiver.ended()
            + " ends in " + receiver.datagrams() + " datagrams; heap after GC at 10k " + (heapAt10k >> 10)
            + " KiB, at 100k " + (heapAt100k >> 10) + " KiB");

        assertThat(counters.requests.sum()).isEqualTo(REQUESTS);
        assertThat(counters.onVirtualThreads.sum()).as("requests served on a virtual thread").isEqualTo(REQUESTS);
        assertThat(counters.servingThreads.sum()).as("virtual threads that served requests")
            .isGreaterThanOrEqualTo(MIN_SERVING_THREADS);
        assertThat(counters.hops.sum()).as("requests whose transaction followed them to a new virtual thread")
            .isEqualTo(REQUESTS);
        assertThat(counters.untraced.sum()).as("requests that saw no transaction").isZero();
        assertThat(counters.lostAcrossHop.sum()).as("requests that lost their transaction across a hop").isZero();

        assertThat(ended).as("transactions the agent ended").isEqualTo(REQUESTS);
        assertThat(agent.sender.transactionsDropped.sum() - dropped0).as("transactions the sender dropped").isZero();
        assertThat(agent.active.rejectedCount() - rejected0).as("transactions the active table refused").isZero();
        assertThat(receiver.decodeErrors()).isZero();
        assertThat(receiver.ended()).as("transaction ends the UDP receiver got").isEqualTo(REQUESTS);
        assertThat(agent.active.count()).as("active transactions after the load").isZero();
        assertThat(heapAt100k - heapAt10k).as("heap growth after GC from 10k to 100k requests (bytes)")
            .isLessThan(HEAP_GROWTH_BOUND);
      } finally {
        stopServer();
      }
    }
  }

  /** Waits until the receiver has every transaction so far and the active table is empty. */
  private void awaitQuiet(Agent agent, CountingUdpReceiver receiver, long expected) {
    long got = CountingUdpReceiver.awaitAtLeast(receiver::ended, expected, WAIT);
    assertThat(got).as("transaction ends received (%s)", counters).isGreaterThanOrEqualTo(expected);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (agent.active.count() != 0 && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000L);
    }
  }

  /** Heap in use after a full collection (the forks run the serial collector: System.gc() is a full GC). */
  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
