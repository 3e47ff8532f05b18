package io.whatap.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.trace.TraceContext;
import io.whatap.wire.StartEndOffer;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxSqlPack;
import io.whatap.wire.TxStartEndPack;
import io.whatap.wire.TxStartPack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local agent's offer through the back channel, and the one-frame transactions that follow it. */
class StartEndOfferTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @TempDir Path home;

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(5_000_000L);
    }
  }

  /** What a test does with a real receiver and an agent sending to it. */
  private interface AgentBody {
    void run(UdpTestReceiver receiver, Agent agent) throws Exception;
  }

  private void withAgent(AgentBody body) throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = SenderIntegrationTest.agent(home, receiver);
      try {
        body.run(receiver, agent);
      } finally {
        agent.close();
      }
    }
  }

  private static TraceContext ended(Agent agent, String uri, String method, int status) {
    TraceContext ctx = agent.tracer.start(uri);
    ctx.requestFrom(method, "shop.example", "10.1.2.3", null, null);
    agent.tracer.end(ctx, status, null);
    return ctx;
  }

  @Test
  void afterTheOfferAStepLessTransactionTravelsAsOneGoLayoutFrameAndOthersAsBefore() throws Exception {
    withAgent((receiver, agent) -> {
      ended(agent, "/before", "GET", 200);
      ReceivedTx before = receiver.awaitTransaction("/before", WAIT);
      assertThat(before.start()).as("no offer yet: TX_START and TX_END").isNotNull();
      assertThat(agent.sender.sendsStartEnd()).isFalse();

      receiver.sendText(StartEndOffer.PARAM_ID + ",1," + StartEndOffer.EXTRA, receiver.lastSender());
      await(agent.sender::sendsStartEnd, "the sender takes the offer");
      assertThat(agent.backChannel.ignored.sum()).isZero();

      TraceContext one = agent.tracer.start("/orders/{id}");
      one.requestFrom("POST", "shop.example", "10.1.2.3", "client/2", null);
      one.calledBy(77, 2, 55);
      agent.tracer.end(one, 201, null);
      TxStartEndPack se = receiver.awaitPack(TxStartEndPack.class, p -> p.uri().equals("/orders/{id}"), WAIT);
      assertThat(se.header().txid()).isEqualTo(one.txid());
      assertThat(se.header().time()).isEqualTo(one.startMillis());
      assertThat(se.header().elapsed()).isEqualTo(one.elapsedMs());
      assertThat(se.httpMethod()).isEqualTo("POST");
      assertThat(se.status()).isEqualTo(201);
      assertThat(se.host()).isEqualTo("shop.example");
      assertThat(se.ipaddr()).isEqualTo("10.1.2.3");
      assertThat(se.userAgent()).isEqualTo("client/2");
      assertThat(se.mtid()).isEqualTo(77);
      assertThat(se.mdepth()).isEqualTo(2);
      assertThat(se.mcallerTxid()).isEqualTo(55);
      assertThat(se.mcallerStepId()).as("callers are linked by the txid they assigned, not a step id").isZero();
      assertThat(receiver.packs(TxStartPack.class)).noneMatch(p -> p.header().txid() == one.txid());
      assertThat(receiver.packs(TxEndPack.class)).noneMatch(p -> p.header().txid() == one.txid());

      TraceContext withStep = agent.tracer.start("/with-sql");
      withStep.sql("jdbc:h2:mem:x", "select 1", System.currentTimeMillis(), 1, 1);
      agent.tracer.end(withStep, 200, null);
      ReceivedTx sql = receiver.awaitTransaction("/with-sql", WAIT);
      assertThat(sql.start()).as("a transaction with steps keeps TX_START ... TX_END").isNotNull();
      assertThat(sql.steps(TxSqlPack.class)).hasSize(1);

      assertThat(receiver.decodeErrors()).isZero();
    });
  }

  @Test
  void anOfferOfAnotherLayoutIsIgnoredAndAnExpiredOfferEndsTheOneFrameLayout() throws Exception {
    withAgent((receiver, agent) -> {
      ended(agent, "/first", "GET", 200);
      receiver.awaitTransaction("/first", WAIT);
      receiver.sendText(StartEndOffer.PARAM_ID + ",1,tx-start-end=99999", receiver.lastSender());
      await(() -> agent.backChannel.ignored.sum() == 1, "the back channel ignores the unknown offer");
      assertThat(agent.sender.sendsStartEnd()).isFalse();
      ended(agent, "/second", "GET", 200);
      assertThat(receiver.awaitTransaction("/second", WAIT).start()).isNotNull();

      assertThat(receiver.packs(TxStartEndPack.class)).isEmpty();

      agent.sender.acceptStartEndOffer(60_000_000_000L);
      ended(agent, "/offered", "GET", 200);
      receiver.awaitPack(TxStartEndPack.class, p -> p.uri().equals("/offered"), WAIT);
      agent.sender.acceptStartEndOffer(-1); // the next offer is already past its validity: back to two frames
      assertThat(agent.sender.sendsStartEnd()).isFalse();
      ended(agent, "/third", "GET", 200);
      assertThat(receiver.awaitTransaction("/third", WAIT).start()).isNotNull();
      assertThat(receiver.packs(TxStartEndPack.class)).extracting(TxStartEndPack::uri).containsExactly("/offered");
    });
  }
}
