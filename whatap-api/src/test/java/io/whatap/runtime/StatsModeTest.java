package io.whatap.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.Await;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.trace.TraceContext;
import io.whatap.wire.RelayPack;
import io.whatap.wire.StatsHitmapPack;
import io.whatap.wire.StatsOffer;
import io.whatap.wire.StatsRowPack;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxStartPack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stats mode through the real sender, over real UDP: the offer, which transactions leave in full,
 * the statistics of the others, switching back and forth without losing or double counting, and
 * TX_START sent early for a long transaction.
 */
class StatsModeTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  @TempDir Path home;

  private interface Body {
    void run(UdpTestReceiver receiver, Agent agent) throws Exception;
  }

  private void withAgent(Body body, String... kv) throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver(32 * 1024 * 1024)) {
      Agent agent = SenderIntegrationTest.agent(home, receiver, kv);
      try {
        body.run(receiver, agent);
      } finally {
        agent.close();
      }
    }
  }

  /** Makes the agent's sender speak to the receiver once, then offers stats mode as our local agent does. */
  private static void offerStats(UdpTestReceiver receiver, Agent agent) {
    if (receiver.lastSender() == null) {
      end(agent, "/hello", 200);
      receiver.awaitTransaction("/hello", WAIT);
    }
    receiver.sendText(StatsOffer.PARAM_ID + ",1," + StatsOffer.EXTRA, receiver.lastSender());
    Await.until("the sender takes the stats offer", WAIT, agent.sender::sendsStats, () -> "");
  }

  private static TraceContext end(Agent agent, String name, int status) {
    TraceContext ctx = agent.tracer.start(name);
    ctx.requestFrom("GET", "shop.example", "10.0.0.1", null, null);
    agent.tracer.end(ctx, status, null);
    return ctx;
  }

  /** Transactions counted: the full ones received plus the statistics rows' counts. */
  private static long counted(UdpTestReceiver receiver, String name) {
    long full = receiver.completed().stream().filter(tx -> name == null || name.equals(tx.uri())).count();
    long rows = receiver.packs(StatsRowPack.class).stream().filter(r -> name == null || name.equals(r.name()))
        .mapToLong(StatsRowPack::count).sum();
    return full + rows;
  }

  @Test
  void slowFailedAndLinkedTransactionsArriveInFullAndTheRestOnlyAsStatistics() throws Exception {
    withAgent((receiver, agent) -> {
      offerStats(receiver, agent);
      receiver.clear();
      TraceContext slow = agent.tracer.start("/slow");
      LockSupport.parkNanos(60_000_000L); // the workload: a transaction that takes 60 ms (profile_basetime_ms=50)
      agent.tracer.end(slow, 200, null);
      TraceContext failed = end(agent, "/fail", 503);
      TraceContext thrown = agent.tracer.start("/thrown");
      agent.tracer.end(thrown, 200, new IllegalStateException("boom"));
      TraceContext called = agent.tracer.start("/called");
      called.calledBy(77, 1, 55);
      agent.tracer.end(called, 200, null);
      TraceContext caller = agent.tracer.start("/caller");
      caller.httpCall("http://inventory/items", System.currentTimeMillis(), 1, 200, 12345);
      caller.chainIdForOutgoing();
      agent.tracer.end(caller, 200, null);
      TraceContext notFound = end(agent, "/missing", 404); // below profile_error_status_min: not failed
      for (int i = 0; i < 40; i++) {
        end(agent, "/plain", 200);
      }
      agent.sender.offerStatsFlush();

      for (TraceContext c : List.of(slow, failed, thrown, called, caller)) {
        receiver.awaitTransaction(tx -> tx.txid() == c.txid(), WAIT);
      }
      ReceivedTx callerTx = receiver.awaitTransaction(tx -> tx.txid() == caller.txid(), WAIT);
      assertThat(callerTx.steps()).as("the full transaction keeps its steps").hasSize(1);
      Await.until("all 46 counted", WAIT, () -> counted(receiver, null) == 46, () -> receiver.summary());
      assertThat(receiver.completed()).extracting(ReceivedTx::uri)
          .as("full: slow, failed, linked, and the first 3 of each other name (the sample)")
          .containsExactlyInAnyOrder("/slow", "/fail", "/thrown", "/called", "/caller", "/missing",
              "/plain", "/plain", "/plain");
      assertThat(counted(receiver, "/plain")).isEqualTo(40);
      StatsRowPack plain = receiver.packs(StatsRowPack.class).get(0);
      assertThat(receiver.packs(StatsRowPack.class)).hasSize(1);
      assertThat(plain.name()).isEqualTo("/plain");
      assertThat(plain.statusClass()).isEqualTo(2);
      assertThat(plain.count()).isEqualTo(37);
      assertThat(plain.pid()).isEqualTo(agent.sender.pid());
      long hits = receiver.packs(StatsHitmapPack.class).stream()
          .mapToLong(h -> java.util.Arrays.stream(h.counts()).sum()).sum();
      assertThat(hits).as("the hitmap holds every transaction the rows count").isEqualTo(37);
      assertThat(notFound.txid()).isNotZero();
      assertThat(agent.sender.transactionsAggregated.sum()).isEqualTo(37);
      assertThat(agent.sender.transactionsSentFull.sum()).isEqualTo(9);
      assertThat(receiver.decodeErrors()).isZero();
    }, "profile_all_below_tps", "0", "profile_sample_per_name", "3", "profile_basetime_ms", "50");
  }

  @Test
  void theSampleIsAtMostNPerNamePerInterval() throws Exception {
    withAgent((receiver, agent) -> {
      offerStats(receiver, agent);
      receiver.clear();
      for (int interval = 0; interval < 3; interval++) {
        for (int i = 0; i < 30; i++) {
          end(agent, "/a", 200);
          end(agent, "/b", 201);
        }
        agent.sender.offerStatsFlush();
      }
      Await.until("all 180 counted", WAIT, () -> counted(receiver, null) == 180, receiver::summary);
      Map<String, Integer> full = new HashMap<>();
      receiver.completed().forEach(tx -> full.merge(tx.uri(), 1, Integer::sum));
      assertThat(full).containsExactlyInAnyOrderEntriesOf(Map.of("/a", 6, "/b", 6));
      assertThat(counted(receiver, "/a")).isEqualTo(90);
      assertThat(counted(receiver, "/b")).isEqualTo(90);
    }, "profile_all_below_tps", "0", "profile_sample_per_name", "2");
  }

  @Test
  void aQuietProcessSendsEveryTransactionInFull() throws Exception {
    withAgent((receiver, agent) -> {
      offerStats(receiver, agent);
      receiver.clear();
      for (int i = 0; i < 50; i++) {
        end(agent, "/quiet", 200);
      }
      agent.sender.offerStatsFlush();
      receiver.awaitNamed("/quiet", 50, WAIT, () -> "");
      assertThat(receiver.packs(StatsRowPack.class)).as("nothing left to count in statistics").isEmpty();
      assertThat(agent.sender.transactionsAggregated.sum()).isZero();
    }, "profile_sample_per_name", "0");
  }

  @Test
  void switchingModesWhileRequestsEndLosesAndDoubleCountsNothing() throws Exception {
    withAgent((receiver, agent) -> {
      offerStats(receiver, agent);
      receiver.clear();
      int threads = 4;
      int perThread = 3000;
      CountDownLatch go = new CountDownLatch(1);
      AtomicBoolean done = new AtomicBoolean();
      Thread[] workers = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        workers[t] = new Thread(() -> {
          try {
            go.await();
          } catch (InterruptedException e) {
            return;
          }
          for (int i = 0; i < perThread; i++) {
            end(agent, "/switch/" + (i % 7), i % 50 == 0 ? 500 : 200);
            if (i % 100 == 0) {
              Thread.yield();
            }
          }
        });
        workers[t].start();
      }
      agent.counters.run(); // the counter thread's interval boundary, while nothing ran yet: drains the meters
      go.countDown();
      int switches = 0;
      while (!done.get()) {
        // the offer lapses and comes back while the workers end transactions
        agent.sender.acceptStatsOffer(switches % 2 == 0 ? -1 : StatsOffer.VALID_MS * 1_000_000L);
        switches++;
        if (switches % 3 == 0) {
          agent.counters.run(); // an interval boundary: flush request + counter pack
        }
        LockSupport.parkNanos(1_000_000L);
        boolean alive = false;
        for (Thread w : workers) {
          alive |= w.isAlive();
        }
        done.set(!alive);
      }
      agent.counters.run();
      int total = threads * perThread;
      Await.until(total + " counted", WAIT, () -> counted(receiver, null) == total,
          () -> "counted " + counted(receiver, null) + ", full " + receiver.completed().size());
      agent.counters.run(); // every transaction is through the sender now: the last interval holds the rest
      assertThat(switches).isGreaterThan(4);
      assertThat(agent.sender.transactionsAggregated.sum()).as("some went to the statistics").isPositive();
      assertThat(agent.sender.transactionsAggregated.sum() + agent.sender.transactionsSentFull.sum())
          .as("and some were sent in full in the other mode").isLessThan(total);
      assertThat(receiver.packs(StatsRowPack.class).stream().mapToLong(StatsRowPack::errors).sum()
          + receiver.completed().stream().filter(tx -> tx.status() >= 500).count())
          .as("errors: every 50th").isEqualTo(total / 50);
      // the counter packs' tx_count over the intervals is every transaction ended, once
      Await.until("the counter packs' tx_count adds up to every transaction (and /hello)", WAIT,
          () -> receiver.packs(RelayPack.class).stream()
              .mapToLong(r -> ((Number) r.tagCount().fields().get("tx_count")).longValue()).sum() == total + 1,
          () -> "counter packs: " + receiver.packs(RelayPack.class).size());
      assertThat(agent.meters.transactionsTotal()).isEqualTo(total + 1); // and /hello before the offer
    }, "profile_all_below_tps", "0", "profile_sample_per_name", "1", "net_send_queue_size", "65536");
  }

  @Test
  void towardsAReceiverThatNeverOffersNothingChanges() throws Exception {
    withAgent((receiver, agent) -> {
      for (int i = 0; i < 300; i++) {
        end(agent, "/never", 200);
      }
      agent.counters.run();
      receiver.awaitNamed("/never", 300, WAIT, () -> "");
      RelayPack counters = receiver.awaitPack(RelayPack.class, r -> true, WAIT);
      assertThat(counters.tagCount().fields()).doesNotContainKeys("agent_stats_mode", "agent_tx_aggregated",
          "agent_tx_started_early");
      assertThat(receiver.packs(StatsRowPack.class)).isEmpty();
      assertThat(receiver.packs(StatsHitmapPack.class)).isEmpty();
      assertThat(agent.sender.sendsStats()).isFalse();
      assertThat(receiver.completed()).allSatisfy(tx -> assertThat(tx.start()).isNotNull());
    }, "profile_all_below_tps", "0", "profile_sample_per_name", "0");
  }

  @Test
  void aLongTransactionHasItsStartSentWhileItRunsAndOnlyOnce() throws Exception {
    withAgent((receiver, agent) -> {
      TraceContext longOne = agent.tracer.start("/long");
      longOne.requestFrom("POST", "shop.example", "10.0.0.1", null, null);
      TxStartPack start = receiver.awaitPack(TxStartPack.class, p -> p.header().txid() == longOne.txid(), WAIT);
      assertThat(longOne.isEnded()).as("TX_START left while it ran").isFalse();
      assertThat(start.uri()).isEqualTo("/long");
      assertThat(start.httpMethod()).isEqualTo("POST");
      assertThat(start.header().time()).isEqualTo(longOne.startMillis());
      agent.tracer.end(longOne, 200, null);
      receiver.awaitPack(TxEndPack.class, p -> p.header().txid() == longOne.txid(), WAIT);
      TraceContext quick = end(agent, "/quick", 200);
      receiver.awaitTransaction("/quick", WAIT);
      Set<Long> starts = new HashSet<>();
      long longStarts = receiver.packs(TxStartPack.class).stream().filter(p -> p.header().txid() == longOne.txid())
          .peek(p -> starts.add(p.header().txid())).count();
      assertThat(longStarts).as("one TX_START").isEqualTo(1);
      assertThat(quick.txid()).isNotZero();
      assertThat(agent.sender.startsSentEarly.sum()).isEqualTo(1);
    }, "tx_start_send_after_ms", "100");
  }
}
