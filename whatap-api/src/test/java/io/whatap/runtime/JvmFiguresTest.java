package io.whatap.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TxParamPack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JVM figures in the counter pack and the thread-dump answer (7003), over real UDP on loopback
 * with a receiver that is not our local agent: the figures decode as plain map values, and nothing
 * is dumped unless asked; asked, the dump comes in parts that fit TX_PARAM and within the bounds.
 */
class JvmFiguresTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path home;

  @Test
  @SuppressWarnings("unchecked")
  void theCounterPackCarriesPoolsCollectorsThreadsAndClassesAndNothingElseComesUnasked() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = SenderIntegrationTest.agent(home, receiver, "counter_interval_ms", "200");
      try {
        // two counter packs: the second has collector totals to compare with the first
        receiver.awaitPack(RelayPack.class, p -> true, WAIT);
        long first = System.nanoTime();
        RelayPack relay = receiver.awaitPack(RelayPack.class,
            p -> p.tagCount() != null && p.tagCount().time() > 0 && System.nanoTime() - first > 300_000_000L, WAIT);
        Map<String, Object> f = relay.tagCount().fields();
        Map<String, Object> pools = (Map<String, Object>) f.get("jvm_pools");
        assertThat(pools).isNotEmpty().hasSizeLessThanOrEqualTo(JvmFigures.POOLS_MAX);
        assertThat(pools.values()).allSatisfy(v -> assertThat((List<Object>) v).hasSize(4));
        assertThat(pools.values()).as("heap and non-heap pools")
            .anySatisfy(v -> assertThat(((List<Object>) v).get(3)).isEqualTo(1L))
            .anySatisfy(v -> assertThat(((List<Object>) v).get(3)).isEqualTo(0L));
        Map<String, Object> gcs = (Map<String, Object>) f.get("jvm_gcs");
        assertThat(gcs).isNotEmpty();
        assertThat(gcs.keySet()).allSatisfy(name -> assertThat(name).isNotBlank());
        assertThat(((Number) f.get("classes_loaded")).longValue()).isPositive();
        assertThat(((Number) f.get("threads_daemon")).longValue()).isPositive();
        assertThat(((Number) f.get("threads_peak")).longValue()).isGreaterThanOrEqualTo(
            ((Number) f.get("threads")).longValue());
        assertThat(f).containsKeys("nonheap_used", "heap_committed", "classes_unloaded_total",
            "process_cpu_time_ms", "threads_started_total");
        assertThat(receiver.packs(TxParamPack.class)).as("no back-channel answer without a request").isEmpty();
        assertThat(agent.backChannel.requests.sum()).isZero();
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void aThreadDumpRequestIsAnsweredInPartsWithinTheBoundsAndASecondOneAtOnceIsRefused() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = SenderIntegrationTest.agent(home, receiver);
      List<Thread> sleepers = new java.util.ArrayList<>();
      java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
      try {
        for (int i = 0; i < 300; i++) {
          Thread t = new Thread(() -> {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }, "dump-sleeper-" + i);
          t.setDaemon(true);
          t.start();
          sleepers.add(t);
        }
        agent.tracer.end(agent.tracer.start("/hello"), 200, null);
        receiver.awaitTransaction("/hello", WAIT);
        receiver.sendText("7003,d1,threads=1000 frames=20 bytes=65536", receiver.lastSender());
        TxParamPack firstPart = receiver.awaitPack(TxParamPack.class, p -> p.requestId().equals("d1"), WAIT);
        int parts = Integer.parseInt(firstPart.data().substring(firstPart.data().indexOf('/') + 1,
            firstPart.data().indexOf('\n')));
        assertThat(parts).as("64 KiB do not fit one TX_PARAM text").isGreaterThanOrEqualTo(3);
        SenderIntegrationTest.awaitTrue(() -> receiver.packs(TxParamPack.class).stream()
            .filter(p -> p.requestId().equals("d1")).count() == parts, WAIT);
        StringBuilder text = new StringBuilder();
        for (TxParamPack p : receiver.packs(TxParamPack.class)) {
          assertThat(p.paramId()).isEqualTo("7003");
          assertThat(p.data().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(32_768);
          text.append(p.data().substring(p.data().indexOf('\n') + 1));
        }
        assertThat(text.toString().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(65_536);
        assertThat(text).contains("\"dump-sleeper-").contains("more threads not shown (the dump's size limit");
        for (String block : text.toString().split("\n\n")) {
          assertThat(block.lines().filter(l -> l.startsWith("\tat ")).count()).isLessThanOrEqualTo(20);
        }

        receiver.sendText("7003,d2,threads=5", receiver.lastSender());
        TxParamPack refusal = receiver.awaitPack(TxParamPack.class, p -> p.requestId().equals("d2"), WAIT);
        assertThat(refusal.data()).isEqualTo("1/1\n(refused: a thread dump was taken less than a second ago)\n");
        assertThat(agent.backChannel.threadDumpsRefused.sum()).isEqualTo(1);
      } finally {
        release.countDown();
        agent.close();
      }
    }
  }

  @Test
  void theBoundsAskedAreClampedToTheMaxima() {
    assertThat(ThreadDump.bounds("")).containsExactly(ThreadDump.THREADS_DEFAULT, ThreadDump.FRAMES_DEFAULT,
        ThreadDump.BYTES_DEFAULT);
    assertThat(ThreadDump.bounds("threads=99999 frames=0 bytes=1")).containsExactly(ThreadDump.THREADS_MAX, 1, 1024);
    assertThat(ThreadDump.bounds("threads=x frames=7")).containsExactly(ThreadDump.THREADS_DEFAULT, 7,
        ThreadDump.BYTES_DEFAULT);
  }

  @Test
  void partsNeverSplitACharacter() {
    String text = "é".repeat(ThreadDump.PART_BYTES); // 2 bytes each
    List<String> parts = ThreadDump.parts(text);
    assertThat(String.join("", parts)).isEqualTo(text);
    assertThat(parts).allSatisfy(p -> assertThat(p.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(ThreadDump.PART_BYTES));
  }
}
