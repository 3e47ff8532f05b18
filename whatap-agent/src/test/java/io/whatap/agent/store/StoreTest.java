package io.whatap.agent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.AgentState;
import io.whatap.agent.Frames;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.PackEncoder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store driven through the agent's state on a synthetic clock: what an interval
 * commits, what a reopened store still holds, the roll-up arithmetic (5 s to 1 min to 10 min)
 * against values worked out by hand, retention by age, and the size cap under a long load.
 */
class StoreTest {
  private static final InetSocketAddress APP = new InetSocketAddress("127.0.0.1", 40001);
  private static final long T0 = 1_800_000_000_000L; // a multiple of 10 minutes
  private static final int PID = 4242;

  @TempDir
  Path dir;
  private long now = T0 + 100;
  private long txid;
  private AgentState state;

  private AgentState open(Map<String, String> extra) {
    Map<String, String> o = new java.util.HashMap<>(Map.of("agent_interval_ms", "5000", "agent_store_enabled", "true",
        "agent_store_dir", dir.toString(), "agent_active_poll_ms", "0"));
    o.putAll(extra);
    AgentState s = new AgentState(AgentSettings.of(o), () -> now);
    assertThat(s.storeError()).isNull();
    s.startStore();
    return s;
  }

  @AfterEach
  void close() {
    if (state != null) {
      state.closeStore();
    }
  }

  private void feed(byte[] d) {
    state.accept(d, 0, d.length, APP);
  }

  private long tx(String name, int elapsed, boolean error) {
    long id = ++txid;
    feed(Frames.transaction(id, PID, now - elapsed, elapsed, name, error));
    return id;
  }

  /** Moves the clock to {@code t}, closing every interval before it, and waits for the writer. */
  private void advance(long t) throws InterruptedException {
    now = t;
    state.rollIfDue();
    assertThat(state.storeWriter().awaitIdle(60_000)).as("the writer took everything").isTrue();
  }

  private String app() {
    return state.apps().get(0).name();
  }

  @Test
  void anIntervalIsCommittedWholeAndAReopenedStoreStillHasIt() throws Exception {
    state = open(Map.of());
    long id = ++txid;
    feed(Frames.of(w -> {
      PackEncoder.txStart(w, id, now - 40, 0, 0, 0, PID, 9, "shop.local:8080", "/orders/{id}", "10.0.0.7", "curl",
          "", "", false, "POST");
      PackEncoder.txSql(w, id, now - 35, 5, 0, 0, PID, 9, "jdbc:h2:mem:shop", "SELECT * FROM orders WHERE id = 17", 7);
      PackEncoder.txHttpc(w, id, now - 20, 12, 0, 0, PID, 9, "http://inventory/items", 0L, "java.net.http");
      PackEncoder.txError(w, id, now - 3, 0, 0, 0, PID, 9, "java.lang.IllegalStateException",
          "order 12345 out of stock", "java.lang.IllegalStateException: order 12345 out of stock");
      PackEncoder.txEnd(w, id, now, 0, 12, 0, PID, 9, "shop.local:8080", "/orders/{id}", 0, 0, 0, 0, "", "", "", 500,
          false, 0);
    }));
    long other = ++txid;
    feed(Frames.of(w -> {
      PackEncoder.txStart(w, other, now - 10, 0, 0, 0, PID, 9, "shop.local:8080", "/orders/{id}", "10.0.0.7", "curl",
          "", "", false, "GET");
      PackEncoder.txSql(w, other, now - 9, 3, 0, 0, PID, 9, "jdbc:h2:mem:shop", "SELECT * FROM orders WHERE id = 99", 1);
      PackEncoder.txError(w, other, now - 3, 0, 0, 0, PID, 9, "java.lang.IllegalStateException",
          "order 777 out of stock", "java.lang.IllegalStateException: order 777 out of stock");
      PackEncoder.txEnd(w, other, now, 0, 12, 0, PID, 9, "shop.local:8080", "/orders/{id}", 0, 0, 0, 0, "", "", "", 500,
          false, 0);
    }));
    tx("/health", 2, false);
    tx("/health", 3, false); // the second /health of the interval is neither slow nor failed nor the sample
    String app = app();
    advance(T0 + 5000);

    state.closeStore();
    state = open(Map.of());
    Store store = state.store();
    List<IntervalSummary> series = store.series(app, T0, T0 + 5000, 5000);
    assertThat(series).hasSize(1);
    assertThat(series.get(0).count()).isEqualTo(4);
    assertThat(series.get(0).errors()).isEqualTo(2);
    assertThat(store.series("", T0, T0 + 5000, 5000).get(0).count()).as("all applications").isEqualTo(4);

    List<Store.StepTotals> sql = store.steps(false, app, null, T0, T0 + 5000, 5000, 10);
    assertThat(sql).hasSize(1); // the two statements differ by their literal only
    assertThat(sql.get(0).text()).isEqualTo("SELECT * FROM orders WHERE id = ?");
    assertThat(sql.get(0).count()).isEqualTo(2);
    assertThat(sql.get(0).sumMs()).isEqualTo(8);
    assertThat(sql.get(0).maxMs()).isEqualTo(5);
    assertThat(sql.get(0).rows()).isEqualTo(8);
    List<Store.StepTotals> calls = store.steps(true, null, "/orders/{id}", T0, T0 + 5000, 5000, 10);
    assertThat(calls).extracting(Store.StepTotals::text).containsExactly("http://inventory/items");

    List<Store.ErrorGroup> errors = store.errors(null, T0, T0 + 5000, 5000, 10);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).errorClass()).isEqualTo("java.lang.IllegalStateException");
    assertThat(errors.get(0).pattern()).isEqualTo("order ? out of stock");
    assertThat(errors.get(0).count()).isEqualTo(2);
    assertThat(errors.get(0).examples()).containsExactlyInAnyOrder(id, other);

    List<TxRecord> kept = store.transactions(null, null, Store.TxKind.RECENT, T0, T0 + 5000, 10);
    assertThat(kept).as("both failed ones and the first /health").hasSize(3);
    TxRecord t = store.transaction(id);
    assertThat(t.name).isEqualTo("/orders/{id}");
    assertThat(t.method).isEqualTo("POST");
    assertThat(t.errorMessage).isEqualTo("order 12345 out of stock");
    assertThat(t.steps).extracting(s -> s.kind()).containsExactly("sql", "httpc", "error");
    assertThat(t.steps.get(0).title()).isEqualTo("SELECT * FROM orders WHERE id = 17");
    assertThat(store.transactions(app, "/health", Store.TxKind.FAILED, T0, T0 + 5000, 10)).isEmpty();
    assertThat(store.names(null, T0, T0 + 5000, 5000)).extracting(Store.NameTotals::name)
        .containsExactlyInAnyOrder("/orders/{id}", "/health");
  }

  @Test
  void rollUpsAddCountsSumsAndBucketsAndKeepMinAndMax() throws Exception {
    state = open(Map.of());
    // each minute: twelve 5 s intervals, interval k has /a taking (k+1)*10 ms; interval 0 also a failed /b of 7 ms
    for (int m = 0; m < 10; m++) {
      for (int k = 0; k < 12; k++) {
        advance(T0 + m * 60_000L + k * 5000L + 100);
        tx("/a", (k + 1) * 10, false);
        if (k == 0) {
          tx("/b", 7, true);
        }
      }
    }
    advance(T0 + 600_000 + 100);
    String app = app();
    Store store = state.store();

    List<IntervalSummary> minutes = store.series(app, T0, T0 + 600_000, Store.MINUTE_MS);
    assertThat(minutes).hasSize(10);
    IntervalSummary first = minutes.get(0);
    // 7, 10, 20, ..., 120: n = 13, sum 787; p50 is the 7th value (60), p90 the 12th (110, in bucket (100, 120])
    assertThat(first.start()).isEqualTo(T0);
    assertThat(first.durationMs()).isEqualTo(60_000);
    assertThat(first.count()).isEqualTo(13);
    assertThat(first.errors()).isEqualTo(1);
    assertThat(first.sum()).isEqualTo(787);
    assertThat(first.min()).isEqualTo(7);
    assertThat(first.max()).isEqualTo(120);
    assertThat(first.p50()).isEqualTo(60);
    assertThat(first.p90()).isEqualTo(120);
    assertThat(first.tps()).isEqualTo(13 / 60.0);

    List<IntervalSummary> tens = store.series(app, T0, T0 + 600_000, Store.TEN_MINUTES_MS);
    assertThat(tens).hasSize(1);
    assertThat(tens.get(0).count()).isEqualTo(130);
    assertThat(tens.get(0).errors()).isEqualTo(10);
    assertThat(tens.get(0).sum()).isEqualTo(7870);
    assertThat(tens.get(0).min()).isEqualTo(7);
    assertThat(tens.get(0).max()).isEqualTo(120);
    assertThat(tens.get(0).p50()).isEqualTo(60);

    List<Store.NameTotals> names = store.names(app, T0, T0 + 600_000, Store.TEN_MINUTES_MS);
    Store.NameTotals a = names.stream().filter(n -> n.name().equals("/a")).findFirst().orElseThrow();
    assertThat(a.stats().count).isEqualTo(120);
    assertThat(a.stats().sum).isEqualTo(7800);
    assertThat(a.stats().min).isEqualTo(10);
    assertThat(a.stats().max).isEqualTo(120);
    assertThat(a.stats().percentile(50)).isEqualTo(60); // rank 60 of 120: the value 60 (ten of each)
    List<Store.ErrorGroup> errors = store.errors(app, T0, T0 + 600_000, Store.TEN_MINUTES_MS, 10);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).count()).isEqualTo(10);

    // the fine rows are still there (younger than 3 h), and add up to the same
    List<IntervalSummary> fine = store.series(app, T0, T0 + 600_000, 5000);
    assertThat(fine).hasSize(120);
    assertThat(fine.stream().mapToLong(IntervalSummary::count).sum()).isEqualTo(130);

    // retention: after 3 h only the minutes and the ten minutes, after 48 h only the ten minutes,
    // after the retention (2 days here: a restart with another setting) nothing
    advance(T0 + Store.FINE_KEEP_MS + 600_000 + 100);
    assertThat(store.series(app, T0, T0 + 600_000, 5000)).isEmpty();
    assertThat(store.series(app, T0, T0 + 600_000, Store.MINUTE_MS)).hasSize(10);
    advance(T0 + Store.MINUTE_KEEP_MS + 600_000 + 100);
    assertThat(store.series(app, T0, T0 + 600_000, Store.MINUTE_MS)).isEmpty();
    assertThat(store.series(app, T0, T0 + 600_000, Store.TEN_MINUTES_MS).get(0).count()).isEqualTo(130);
    assertThat(store.transactions(null, null, Store.TxKind.RECENT, T0, T0 + 600_000, 1000)).isNotEmpty();
    state.closeStore();
    state = open(Map.of("agent_store_retention_days", "2"));
    tx("/late", 5, false);
    advance(T0 + 2 * 86_400_000L + 700_000 + 100);
    store = state.store();
    assertThat(store.series(app, T0, T0 + 600_000, Store.TEN_MINUTES_MS)).isEmpty();
    assertThat(store.transactions(null, null, Store.TxKind.RECENT, T0, T0 + 600_000, 1000)).isEmpty();
  }

  @Test
  void theSizeCapKeepsTheNewestUnderALongLoad() throws Exception {
    state = open(Map.of("agent_store_max_mb", "1", "agent_store_tx_per_interval", "1000"));
    String steps = "SELECT * FROM some_table_with_a_long_name WHERE id = ";
    long lastId = 0;
    // 50 minutes of 5 s intervals (a synthetic clock): 600 intervals of 30 failed transactions each,
    // with a SQL step each, 18,000 kept transactions: about 7 MB uncapped
    for (int i = 0; i < 600; i++) {
      now = T0 + i * 5000L + 100;
      state.rollIfDue();
      for (int k = 0; k < 30; k++) {
        long id = ++txid;
        int n = i * 30 + k;
        feed(Frames.of(w -> {
          PackEncoder.txStart(w, id, now - 9, 0, 0, 0, PID, 9, "h:1", "/load/" + (n % 50), "10.0.0.1", "ua", "", "",
              false, "GET");
          PackEncoder.txSql(w, id, now - 8, 3, 0, 0, PID, 9, "jdbc:x", steps + n, n);
          PackEncoder.txEnd(w, id, now, 0, 1, 0, PID, 9, "h:1", "/load/" + (n % 50), 0, 0, 0, 0, "", "", "", 500,
              false, 0);
        }));
        lastId = id;
      }
      if (i % 100 == 0) {
        assertThat(state.storeWriter().awaitIdle(60_000)).isTrue();
        assertThat(state.store().fileBytes()).as("after %d intervals", i).isLessThanOrEqualTo(3L << 20);
      }
    }
    advance(T0 + 600 * 5000L + 100);
    Store store = state.store();
    assertThat(state.storeWriter().dropped.sum()).as("the writer kept up").isZero();
    // the cap (1 MB) plus at most a minute of growth between checks
    assertThat(store.fileBytes()).isLessThanOrEqualTo(3L << 20);
    assertThat(store.transaction(lastId)).as("the newest transaction is kept").isNotNull();
    assertThat(store.transaction(1)).as("the oldest went first").isNull();
    assertThat(store.deletedForSize()).isPositive();
  }
}
