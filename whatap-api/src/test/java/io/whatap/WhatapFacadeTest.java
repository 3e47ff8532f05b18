package io.whatap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.wire.TxMethodPack;
import io.whatap.wire.TxMsgPack;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class WhatapFacadeTest {
  static UdpTestReceiver receiver;

  @BeforeAll
  static void start() {
    receiver = new UdpTestReceiver();
    Whatap.configure(receiver.agentOptions());
  }

  @AfterAll
  static void stop() {
    receiver.close();
  }

  @Test
  void workHandedToAnotherThreadKeepsItsTransactionAndLeavesThatThreadClean() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Transaction tx = Whatap.startTransaction("/handoff");
      Future<Long> seen = pool.submit(Whatap.wrap(() -> {
        Whatap.message("on-pool", "v", "d");
        return Whatap.currentTransaction().txid();
      }));
      assertThat(seen.get()).isEqualTo(tx.txid());
      assertThat(pool.submit(() -> Whatap.currentTransaction()).get()).isSameAs(Transaction.NOOP);
      tx.end();
      assertThat(Whatap.currentTransaction()).isSameAs(Transaction.NOOP);
      UdpTestReceiver.ReceivedTx got = receiver.awaitTransaction("/handoff", Duration.ofSeconds(5));
      assertThat(got.steps(TxMsgPack.class)).extracting(TxMsgPack::title).containsExactly("on-pool");
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Code that asks for the current transaction per statement or per call (whatap-jdbc does) gets the
   * same view each time: nothing allocated after the first, and identity checks on it hold (a JDBC
   * connection registers its end action once per transaction, not once per statement).
   */
  @Test
  void theCurrentTransactionIsOneViewPerTransaction() {
    Transaction tx = Whatap.startTransaction("/one-view");
    try {
      Transaction first = Whatap.currentTransaction();
      assertThat(Whatap.currentTransaction()).isSameAs(first);
      assertThat(first.txid()).isEqualTo(tx.txid());
    } finally {
      tx.end();
    }
    Transaction next = Whatap.startTransaction("/another-view");
    try {
      assertThat(Whatap.currentTransaction().txid()).isEqualTo(next.txid()).isNotEqualTo(tx.txid());
    } finally {
      next.end();
    }
  }

  @Test
  void profileIsAMethodStepInsideAndATransactionOutside() throws Exception {
    Transaction tx = Whatap.startTransaction("/outer");
    assertThat(Whatap.profile("svc.compute", () -> 7)).isEqualTo(7);
    tx.end();
    assertThat(receiver.awaitTransaction("/outer", Duration.ofSeconds(5)).steps(TxMethodPack.class))
        .extracting(TxMethodPack::method).containsExactly("svc.compute");
    assertThat(Whatap.profile("standalone.method", () -> "r")).isEqualTo("r");
    receiver.awaitTransaction("standalone.method", Duration.ofSeconds(5));
  }

  @Test
  void registerAppNamesTheTypeItCannotTrace() {
    assertThatThrownBy(() -> Whatap.registerApp(new StringBuilder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.StringBuilder")
        .hasMessageContaining("supported handler types");
  }

  @Test
  void registerAppForPlainCodeMakesOneTransactionPerCall() throws Exception {
    Runnable traced = Whatap.registerApp("plain-job", () -> Whatap.message("inside", "", ""));
    traced.run();
    traced.run();
    receiver.awaitTransaction(t -> "plain-job".equals(t.uri()) && receiver.completed().stream()
        .filter(o -> "plain-job".equals(o.uri())).count() == 2, Duration.ofSeconds(5));
  }
}
