package io.whatap.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.Config;
import io.whatap.wire.PackType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TracerTest {
  final List<TraceContext> ended = new CopyOnWriteArrayList<>();

  Tracer tracer(String... kv) {
    Map<String, String> m = new java.util.HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    Config c = new Config(m);
    return new Tracer(() -> c, new Meters(), new ActiveRegistry(c.activeMax), ended::add);
  }

  @Test
  void aTransactionEndsExactlyOnceAndLeavesTheActiveTable() {
    Tracer t = tracer();
    TraceContext ctx = t.start("/a");
    assertThat(ctx.txid()).isNotZero();
    assertThat(t.active().count()).isEqualTo(1);
    t.end(ctx, 200, null);
    t.end(ctx, 500, new RuntimeException("late"));
    assertThat(ended).containsExactly(ctx);
    assertThat(ctx.statusCode()).isEqualTo(200);
    assertThat(ctx.hasError()).isFalse();
    assertThat(t.active().count()).isZero();
  }

  @Test
  void beforeEndActionsRunOnceAndMayStillRecordSteps() {
    Tracer t = tracer();
    TraceContext ctx = t.start("/a");
    AtomicInteger runs = new AtomicInteger();
    ctx.beforeEnd(() -> {
      runs.incrementAndGet();
      ctx.sql("jdbc:x", "select 1", 0, 1, 7);
    });
    ctx.beforeEnd(() -> {
      throw new IllegalStateException("a failing action is logged, the others still run");
    });
    t.end(ctx, 200, null);
    t.end(ctx, 200, null);
    assertThat(runs).hasValue(1);
    assertThat(ended).containsExactly(ctx);
    assertThat(ctx.stepCount()).isEqualTo(1);
    assertThat(ctx.stepsNewestFirst().fetch()).isEqualTo(7);
    ctx.beforeEnd(runs::incrementAndGet); // after the end: never runs
    assertThat(runs).hasValue(1);
  }

  @Test
  void stepsBeyondTheLimitAreDroppedAndCounted() {
    Tracer t = tracer("profile_step_max", "3");
    TraceContext ctx = t.start("/a");
    for (int i = 0; i < 5; i++) {
      ctx.method("m" + i, System.currentTimeMillis(), 1);
    }
    assertThat(ctx.stepCount()).isEqualTo(3);
    assertThat(ctx.droppedSteps()).isEqualTo(2);
    assertThat(t.meters().stepsDropped.sum()).isEqualTo(2);
    assertThat(ctx.stepsNewestFirst().methodName()).isEqualTo("m2");
  }

  @Test
  void stepsFromManyThreadsAreAllKept() throws InterruptedException {
    Tracer t = tracer("profile_step_max", "100000");
    TraceContext ctx = t.start("/a");
    Thread[] threads = new Thread[4];
    for (int i = 0; i < threads.length; i++) {
      threads[i] = new Thread(() -> {
        for (int j = 0; j < 1000; j++) {
          ctx.message("t", "v", "d");
        }
      });
      threads[i].start();
    }
    for (Thread th : threads) {
      th.join();
    }
    int n = 0;
    for (Step s = ctx.stepsNewestFirst(); s != null; s = s.next()) {
      n++;
    }
    assertThat(n).isEqualTo(4000).isEqualTo(ctx.stepCount());
  }

  @Test
  void unsampledTransactionsAreCountedButRecordNoSteps() {
    Tracer t = tracer("trace_sampling_rate", "0");
    TraceContext ctx = t.start("/a");
    ctx.method("m", 0, 1);
    t.end(ctx, 200, null);
    assertThat(ctx.isSampled()).isFalse();
    assertThat(ctx.stepCount()).isZero();
    assertThat(t.meters().drainInterval().count).isEqualTo(1);
  }

  @Test
  void errorsAndErrorStatusesCountAsErrors() {
    Tracer t = tracer();
    t.end(t.start("/ok"), 200, null);
    t.end(t.start("/boom"), 500, new IllegalStateException("x"));
    t.end(t.start("/503"), 503, null);
    t.end(t.start("/404"), 404, null);
    Meters.Interval iv = t.meters().drainInterval();
    assertThat(iv.count).isEqualTo(4);
    assertThat(iv.errors).isEqualTo(2);
    assertThat(t.meters().drainInterval().count).as("reset after drain").isZero();
  }

  @Test
  void percentilesComeFromTheHistogram() {
    Meters m = new Meters();
    for (int i = 0; i < 90; i++) {
      m.record(4, false);
    }
    for (int i = 0; i < 10; i++) {
      m.record(900, false);
    }
    Meters.Interval iv = m.drainInterval();
    assertThat(iv.averageMs()).isEqualTo((90 * 4 + 10 * 900) / 100.0);
    assertThat(iv.percentileMs(50)).isBetween(3.0, 5.0);
    assertThat(iv.percentileMs(99)).isBetween(700.0, 1000.0);
  }

  @Test
  void activeBandsAndEviction() {
    Tracer t = tracer();
    TraceContext a = t.start("/a");
    long now = System.nanoTime();
    int[] bands = t.active().bands(now + 4_000_000_000L, new int[] {1000, 3000, 8000, 15000});
    assertThat(bands).containsExactly(0, 0, 1, 0, 0);
    assertThat(t.active().evictOlderThan(now + 400_000_000_000L, 300_000)).isEqualTo(1);
    assertThat(t.active().count()).isZero();
    t.end(a, 200, null);
    assertThat(ended).containsExactly(a);
  }

  @Test
  void aFullActiveTableRefusesAndCounts() {
    Tracer t = tracer("active_max", "16");
    for (int i = 0; i < 200; i++) {
      t.start("/a");
    }
    assertThat(t.active().count()).isLessThanOrEqualTo(t.active().capacity());
    assertThat(t.active().rejectedCount()).isEqualTo(200 - t.active().count());
  }

  @Test
  void theCurrentContextIsRestored() {
    Tracer t = tracer();
    TraceContext outer = t.startAttached("/outer");
    TraceContext inner = t.startAttached("/inner");
    assertThat(CurrentContext.get()).isSameAs(inner);
    inner.end();
    assertThat(CurrentContext.get()).isSameAs(outer);
    outer.end();
    assertThat(CurrentContext.get()).isNull();
  }

  @Test
  void aManualTransactionEndedOnAnotherThreadIsNoLongerCurrentOnItsOwn() throws InterruptedException {
    Tracer t = tracer();
    TraceContext tx = t.startAttached("/handed-over");
    Thread other = new Thread(tx::end);
    other.start();
    other.join();
    assertThat(tx.isEnded()).isTrue();
    assertThat(CurrentContext.get()).as("the ended transaction is not current any more").isNull();
    TraceContext next = t.startAttached("/next");
    next.end();
    assertThat(CurrentContext.get()).isNull();
    CurrentContext.restore(null);
  }

  @Test
  void sentStepsAreClearedAndReusedByLaterTransactions() {
    Tracer t = tracer();
    TraceContext first = t.start("/a");
    first.sql("jdbc:x", "select 1", 0, 1, 1);
    first.method("m", 0, 1);
    Step method = first.stepsNewestFirst();
    Step sql = method.next();
    t.end(first, 200, null);
    first.recycleSteps(); // what the sender does once it has encoded the transaction
    assertThat(sql.sql()).as("a pooled step keeps no SQL text alive").isNull();
    assertThat(sql.dbc()).isNull();
    assertThat(method.methodName()).isNull();
    assertThat(first.stepsNewestFirst()).isNull();

    TraceContext second = t.start("/b");
    second.httpCall("http://x/", 5, 2, 200);
    Step reused = second.stepsNewestFirst();
    assertThat(reused).isIn(sql, method);
    assertThat(reused.type()).isEqualTo(PackType.TX_HTTPC);
    assertThat(reused.url()).isEqualTo("http://x/");
    assertThat(reused.calleeTxid()).as("no callee txid: the status is not a step id").isZero();
    assertThat(reused.sql()).as("the fields of the kind it held before are gone").isNull();
    assertThat(reused.methodName()).isNull();
    assertThat(second.stepCount()).isEqualTo(1);
  }

  @Test
  void aTransactionWithManyStepsGivesThemAllBackInChains() {
    Tracer t = tracer();
    TraceContext many = t.start("/many");
    for (int i = 0; i < 10; i++) {
      many.method("m" + i, 0, 1);
    }
    java.util.Set<Step> sent = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Step s = many.stepsNewestFirst(); s != null; s = s.next()) {
      sent.add(s);
    }
    t.end(many, 200, null);
    many.recycleSteps();
    TraceContext none = t.start("/none"); // records no step: takes nothing from the pool
    t.end(none, 200, null);
    none.recycleSteps();
    java.util.Set<Step> reused = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (int i = 0; i < 3; i++) { // the 10 steps come back as chains of 4, 4 and 2
      TraceContext next = t.start("/next");
      for (int k = 0; k < 4; k++) {
        next.method("x", 0, 1);
      }
      for (Step s = next.stepsNewestFirst(); s != null; s = s.next()) {
        reused.add(s);
      }
    }
    assertThat(reused).hasSize(12).containsAll(sent);
  }

  @Test
  void aStepArrivingAfterTheTransactionWasSentIsIgnored() {
    Tracer t = tracer();
    TraceContext ctx = t.start("/a");
    ctx.method("m", 0, 1);
    t.end(ctx, 200, null);
    ctx.recycleSteps();
    ctx.method("late", 0, 1);
    assertThat(ctx.stepsNewestFirst()).isNull();
    assertThat(ctx.stepCount()).isZero();
  }
}
