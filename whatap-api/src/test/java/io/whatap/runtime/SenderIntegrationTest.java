package io.whatap.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.ConfigLoader;
import io.whatap.testing.Await;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.trace.TraceContext;
import io.whatap.wire.Pack;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxHttpcPack;
import io.whatap.wire.TxMethodPack;
import io.whatap.wire.TxSqlPack;
import io.whatap.wire.TxStartPack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SenderIntegrationTest {
  @TempDir Path home;

  static Agent agent(Path home, UdpTestReceiver receiver, String... kv) {
    ConfigLoader loader = new ConfigLoader(home, Map.of(), new Properties());
    Map<String, String> o = new HashMap<>(receiver.agentOptions());
    o.put("banner_enabled", "false");
    o.put("counter_interval_ms", "600000");
    for (int i = 0; i < kv.length; i += 2) {
      o.put(kv[i], kv[i + 1]);
    }
    loader.override(o);
    return Agent.startStandalone(loader);
  }

  @Test
  void tenThousandTransactionsFromEightThreadsAllArriveInOrder() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver(32 * 1024 * 1024)) {
      Agent agent = agent(home, receiver, "net_send_queue_size", "65536");
      try {
        int threads = 8;
        int perThread = 1250;
        CountDownLatch go = new CountDownLatch(1);
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
          final int id = t;
          workers[t] = new Thread(() -> {
            try {
              go.await();
            } catch (InterruptedException e) {
              return;
            }
            for (int i = 0; i < perThread; i++) {
              TraceContext ctx = agent.tracer.start("/load/" + id);
              long now = System.currentTimeMillis();
              ctx.sql("jdbc:h2:mem:x", "select " + i, now, 1, 3);
              ctx.httpCall("http://inventory/items/" + i, now, 2, 200);
              ctx.method("svc.work", now, 0);
              agent.tracer.end(ctx, 200, null);
            }
          });
          workers[t].start();
        }
        go.countDown();
        for (Thread w : workers) {
          w.join();
        }
        int total = threads * perThread;
        List<ReceivedTx> done = receiver.awaitCompleted(total, Duration.ofSeconds(30));
        assertThat(done).hasSize(total);
        Set<Long> ids = new HashSet<>();
        for (ReceivedTx tx : done) {
          ids.add(tx.txid());
          List<Pack> packs = tx.packs();
          assertThat(packs).hasSize(5);
          assertThat(packs.get(0)).isInstanceOf(TxStartPack.class);
          assertThat(packs.get(1)).isInstanceOf(TxSqlPack.class);
          assertThat(packs.get(2)).isInstanceOf(TxHttpcPack.class);
          assertThat(packs.get(3)).isInstanceOf(TxMethodPack.class);
          assertThat(packs.get(4)).isInstanceOf(TxEndPack.class);
          assertThat(tx.status()).isEqualTo(200);
        }
        assertThat(ids).hasSize(total);
        assertThat(agent.sender.transactionsDropped.sum()).isZero();
        assertThat(agent.sender.transactionsQueued()).isEqualTo(total);
        assertThat(receiver.decodeErrors()).isZero();
        awaitTrue(() -> agent.sender.datagramsSent.sum() == receiver.datagrams(), Duration.ofSeconds(5));
        assertThat(agent.sender.framesSent.sum()).isEqualTo(receiver.packs().size());
        assertThat(receiver.datagrams()).as("frames share datagrams").isLessThan(total * 5);
      } finally {
        agent.close();
      }
    }
  }

  /**
   * The sender copies a text that repeats (same instance) from where it last wrote it in the
   * datagram; across thousands of full datagrams (a frame that does not fit moves to the front of
   * the next) every field must still arrive as it was.
   */
  @Test
  void repeatedTextsSurviveFullDatagramsAndFramesMovedToTheNext() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver(32 * 1024 * 1024)) {
      Agent agent = agent(home, receiver, "net_send_queue_size", "65536");
      try {
        String[] uris = {"/orders", "/orders/{id}", "/a-somewhat-longer-uri/with/segments"};
        String[] hosts = {"shop.example:8080", "api.example"};
        int total = 6000;
        for (int i = 0; i < total; i++) {
          TraceContext ctx = agent.tracer.start(uris[i % 3]);
          ctx.requestFrom(i % 11 == 0 ? "POST" : "GET", hosts[(i / 7) % 2], "10.0.0." + (i % 5 == 0 ? 9 : 1),
              "client/1.0", null);
          agent.tracer.end(ctx, 200 + i % 3, null);
        }
        List<ReceivedTx> done = receiver.awaitCompleted(total, Duration.ofSeconds(30));
        assertThat(done).hasSize(total);
        assertThat(receiver.decodeErrors()).isZero();
        Map<String, Integer> seen = new HashMap<>();
        for (ReceivedTx tx : done) {
          TxStartPack start = (TxStartPack) tx.packs().get(0);
          TxEndPack end = (TxEndPack) tx.packs().get(tx.packs().size() - 1);
          assertThat(start.uri()).isIn((Object[]) uris);
          assertThat(start.host()).isIn((Object[]) hosts);
          assertThat(start.ipaddr()).isIn("10.0.0.9", "10.0.0.1");
          assertThat(start.httpMethod()).isIn("GET", "POST");
          assertThat(start.userAgent()).isEqualTo("client/1.0");
          assertThat(end.uri()).isEqualTo(start.uri());
          assertThat(end.host()).isEqualTo(start.host());
          seen.merge(start.uri() + " " + start.host() + " " + start.httpMethod() + " " + end.status(), 1, Integer::sum);
        }
        Map<String, Integer> expected = new HashMap<>();
        for (int i = 0; i < total; i++) {
          expected.merge(uris[i % 3] + " " + hosts[(i / 7) % 2] + " " + (i % 11 == 0 ? "POST" : "GET") + " "
              + (200 + i % 3), 1, Integer::sum);
        }
        assertThat(seen).isEqualTo(expected);
        assertThat(receiver.datagrams()).as("several full datagrams").isGreaterThan(5);
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void aSteadyStreamFillsDatagramsInsteadOfSendingOneEachLinger() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver(8 * 1024 * 1024)) {
      Agent agent = agent(home, receiver);
      try {
        int total = 5000;
        long next = System.nanoTime();
        for (int i = 0; i < total; i++) { // one every 200 us: the sender never finds a quiet linger
          while (System.nanoTime() < next) {
            Thread.onSpinWait();
          }
          next += 200_000;
          agent.tracer.end(agent.tracer.start("/steady"), 200, null);
        }
        assertThat(receiver.awaitCompleted(total, Duration.ofSeconds(10))).hasSize(total);
        awaitTrue(() -> agent.sender.datagramsSent.sum() == receiver.datagrams(), Duration.ofSeconds(5));
        assertThat(receiver.datagrams())
            .as("transactions per datagram: %d datagrams for %d", receiver.datagrams(), total)
            .isLessThan(total / 50);
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void fieldsSurviveTheTrip() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver);
      try {
        TraceContext ctx = agent.tracer.start("/users/{id}");
        ctx.requestFrom("POST", "shop:8080", "203.0.113.7", "curl/8", null);
        ctx.headersCaptured("x-a=1\n");
        ctx.error(new IllegalStateException("kaboom"));
        agent.tracer.end(ctx, 500, null);
        ReceivedTx tx = receiver.awaitTransaction("/users/{id}", Duration.ofSeconds(5));
        assertThat(tx.start().httpMethod()).isEqualTo("POST");
        assertThat(tx.start().host()).isEqualTo("shop:8080");
        assertThat(tx.start().ipaddr()).isEqualTo("203.0.113.7");
        assertThat(tx.start().userAgent()).isEqualTo("curl/8");
        assertThat(tx.start().header().pid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(tx.status()).isEqualTo(500);
        assertThat(tx.steps(io.whatap.wire.TxErrorPack.class)).singleElement().satisfies(e -> {
          assertThat(e.errorClass()).isEqualTo("java.lang.IllegalStateException");
          assertThat(e.message()).isEqualTo("kaboom");
          assertThat(e.stack()).contains("fieldsSurviveTheTrip");
        });
        assertThat(tx.steps(io.whatap.wire.TxMsgPack.class)).singleElement()
            .satisfies(m -> assertThat(m.description()).isEqualTo("x-a=1\n"));
        assertThat(tx.elapsedMs()).isGreaterThanOrEqualTo(0);
      } finally {
        agent.close();
      }
    }
  }

  static void awaitTrue(BooleanSupplier cond, Duration timeout) {
    Await.until("the condition", timeout, cond);
  }

}
