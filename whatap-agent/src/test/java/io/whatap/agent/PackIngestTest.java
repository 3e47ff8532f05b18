package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.assembly.TxStep;
import io.whatap.agent.history.TransactionHistory;
import io.whatap.agent.intervals.Stats;
import io.whatap.agent.query.AppView;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.ElapsedBuckets;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.PackType;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TagCountPack;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every pack type, as our encoder writes it, decoded and applied by the agent's receive path. */
class PackIngestTest {
  private static final InetSocketAddress APP = new InetSocketAddress("127.0.0.1", 40001);
  private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.1", 40999);
  private static final int PID = 4242;
  private static final long T0 = 1_800_000_000_000L;

  private long now = T0;
  private final List<String> requests = new ArrayList<>();

  private AgentState state(Map<String, String> options) {
    // the one-frame offer is a back-channel request of its own, tested by itself below
    Map<String, String> o = new HashMap<>(Map.of("app_name", "provisional-name", "agent_stack_after_ms", "1000",
        "agent_offer_start_end", "false", "agent_offer_stats", "false"));
    o.putAll(options);
    AgentState s = new AgentState(AgentSettings.of(o), () -> now);
    s.backChannel((request, to) -> requests.add(to.getPort() + " " + request));
    return s;
  }

  private static void feed(AgentState s, byte[] datagram, InetSocketAddress from) {
    s.accept(datagram, 0, datagram.length, from);
  }

  @Test
  void startStepsAndEndInSeparateDatagramsJoinIntoOneTransaction() {
    AgentState s = state(Map.of());
    long txid = 0x7f00_0000_0000_0042L;
    feed(s, Frames.of(w -> PackEncoder.txStart(w, txid, T0, 0, 0, 0, PID, 9, "shop.local:8080", "/orders/{id}",
        "10.0.0.7", "curl/8.5", "http://ref.local/", "wcid", false, "POST")), APP);
    feed(s, Frames.of(w -> PackEncoder.txDbConn(w, txid, T0 + 1, 3, 0, 0, PID, 9, "jdbc:h2:mem:shop")), APP);
    feed(s, Frames.of(w -> PackEncoder.txSql(w, txid, T0 + 4, 5, 0, 0, PID, 9, "jdbc:h2:mem:shop",
        "SELECT * FROM orders WHERE id = ?", 7)), APP);
    feed(s, Frames.of(w -> PackEncoder.txHttpc(w, txid, T0 + 10, 20, 0, 0, PID, 9, "http://127.0.0.1:9/inventory/1",
        -99L, "java.net.http")), APP);
    feed(s, Frames.of(w -> PackEncoder.txMsg(w, txid, T0 + 31, 0, 0, 0, PID, 9, "HTTP-HEADERS", "HTTP-HEADERS",
        "accept=*/*")), APP);
    feed(s, Frames.of(w -> PackEncoder.txMethod(w, txid, T0 + 32, 4, 0, 0, PID, 9, "OrderService.place",
        "at OrderService.place")), APP);
    feed(s, Frames.of(w -> PackEncoder.txError(w, txid, T0 + 37, 0, 0, 0, PID, 9, "java.lang.IllegalStateException",
        "out of stock", "java.lang.IllegalStateException: out of stock")), APP);
    assertThat(s.transaction(txid)).as("not complete before TX_END").isNull();
    assertThat(s.pendingCount()).isEqualTo(1);
    feed(s, Frames.of(w -> PackEncoder.txEnd(w, txid, T0 + 40, 0, 12, 0, PID, 9, "shop.local:8080",
        "/orders/{id}", 555L, 2, 444L, 0, "caller-spec", "/caller/url", "poid", 500, false, 333L)), APP);

    TxRecord t = s.transaction(txid);
    assertThat(t).isNotNull();
    assertThat(s.pendingCount()).isZero();
    assertThat(t.name).isEqualTo("/orders/{id}");
    assertThat(t.method).isEqualTo("POST");
    assertThat(t.host).isEqualTo("shop.local:8080");
    assertThat(t.clientIp).isEqualTo("10.0.0.7");
    assertThat(t.userAgent).isEqualTo("curl/8.5");
    assertThat(t.referer).isEqualTo("http://ref.local/");
    assertThat(t.start).isEqualTo(T0);
    assertThat(t.end).isEqualTo(T0 + 40);
    assertThat(t.elapsed).as("END.time - START.time").isEqualTo(40);
    assertThat(t.status).isEqualTo(500);
    assertThat(t.cpuMs).isEqualTo(12);
    assertThat(t.error).isTrue();
    assertThat(t.errorClass).isEqualTo("java.lang.IllegalStateException");
    assertThat(t.errorMessage).isEqualTo("out of stock");
    assertThat(t.mtid).isEqualTo(555L);
    assertThat(t.mdepth).isEqualTo(2);
    assertThat(t.callerTxid).isEqualTo(444L);
    assertThat(t.callerSpec).isEqualTo("caller-spec");
    assertThat(t.callerUrl).isEqualTo("/caller/url");
    assertThat(t.callerStepId).isEqualTo(333L);
    assertThat(t.pid).isEqualTo(PID);
    assertThat(t.app).isEqualTo("provisional-name");
    assertThat(t.steps).extracting(TxStep::kind).containsExactly("dbconn", "sql", "httpc", "msg", "method", "error");
    assertThat(t.steps.get(0)).isEqualTo(new TxStep("dbconn", T0 + 1, 3, "jdbc:h2:mem:shop", null, null, 0));
    assertThat(t.steps.get(1)).isEqualTo(new TxStep("sql", T0 + 4, 5, "SELECT * FROM orders WHERE id = ?",
        "jdbc:h2:mem:shop", null, 7));
    assertThat(t.steps.get(2)).isEqualTo(new TxStep("httpc", T0 + 10, 20, "http://127.0.0.1:9/inventory/1",
        "java.net.http", null, -99L));
    assertThat(t.steps.get(3)).isEqualTo(new TxStep("msg", T0 + 31, 0, "HTTP-HEADERS", "HTTP-HEADERS",
        "accept=*/*", 0));
    assertThat(t.steps.get(4)).isEqualTo(new TxStep("method", T0 + 32, 4, "OrderService.place", null,
        "at OrderService.place", 0));
    assertThat(t.steps.get(5).text()).contains("out of stock");
    assertThat(s.frames.sum()).isEqualTo(8);
    assertThat(s.malformed.sum() + s.unknownFrames.sum() + s.startsMissing.sum()).isZero();
  }

  @Test
  void txStartEndIsACompleteTransaction() {
    AgentState s = state(Map.of());
    feed(s, Frames.of(w -> PackEncoder.txStartEnd(w, 77, T0, 25, 0, 0, PID, 3, "h:1", "/one-pack", "1.2.3.4", "ua",
        "", "", false, 0, 0, 0, 0, "", "", "")), APP);
    TxRecord t = s.transaction(77);
    assertThat(t.name).isEqualTo("/one-pack");
    assertThat(t.start).isEqualTo(T0);
    assertThat(t.elapsed).isEqualTo(25);
    assertThat(t.clientIp).isEqualTo("1.2.3.4");
  }

  @Test
  void txStartEndInTheGoLayoutCarriesMethodStatusAndCallerStep() {
    AgentState s = state(Map.of());
    feed(s, Frames.of(w -> PackEncoder.txStartEndGo(w, 78, T0, 31, 4, 0, PID, 3, "h:1", "/go-layout", "1.2.3.4",
        "ua", "", "", "DELETE", 555, 2, 444, 0, "spec", "/caller", "", 204, 333)), APP);
    TxRecord t = s.transaction(78);
    assertThat(t.name).isEqualTo("/go-layout");
    assertThat(t.method).isEqualTo("DELETE");
    assertThat(t.status).isEqualTo(204);
    assertThat(t.start).isEqualTo(T0);
    assertThat(t.end).isEqualTo(T0 + 31);
    assertThat(t.elapsed).isEqualTo(31);
    assertThat(t.cpuMs).isEqualTo(4);
    assertThat(t.mtid).isEqualTo(555);
    assertThat(t.mdepth).isEqualTo(2);
    assertThat(t.callerTxid).isEqualTo(444);
    assertThat(t.callerStepId).isEqualTo(333);
    assertThat(t.error).isFalse();
    assertThat(s.frames.sum()).isEqualTo(1);
    assertThat(s.malformed.sum() + s.unknownFrames.sum() + s.startsMissing.sum()).isZero();
  }

  @Test
  void aProcessIsOfferedTheOneFrameLayoutWhenFirstHeardAndAgainEveryTenSecondsWhileHeard() {
    AgentState s = state(Map.of("agent_offer_start_end", "true"));
    String offer = "40001 7001,\\d+,tx-start-end=50101";
    feed(s, Frames.transaction(1, PID, T0, 10, "/a", false), APP);
    assertThat(requests).hasSize(2).anySatisfy(r -> assertThat(r).matches(offer));
    now += 9_999;
    feed(s, Frames.transaction(2, PID, now, 10, "/a", false), APP);
    assertThat(requests).as("not again within ten seconds").hasSize(2);
    now += 1;
    feed(s, Frames.transaction(3, PID, now, 10, "/a", false), APP);
    assertThat(requests).hasSize(3);
    assertThat(requests.get(2)).matches(offer);

    requests.clear();
    AgentState off = state(Map.of("agent_offer_start_end", "false"));
    feed(off, Frames.transaction(1, PID, now, 10, "/a", false), APP);
    assertThat(requests).as("only the configuration request").singleElement()
        .satisfies(r -> assertThat(r).startsWith("40001 4,"));
  }

  @Test
  void counterPacksNameTheApplicationAndFeedItsCounters() {
    AgentState s = state(Map.of());
    feed(s, Frames.transaction(1, PID, T0, 10, "/a", false), APP);
    assertThat(s.apps()).singleElement().satisfies(a -> {
      assertThat(a.name()).isEqualTo("provisional-name");
      assertThat(a.provisional()).isTrue();
    });
    Map<String, Object> fields = new HashMap<>();
    fields.put("cpu_pct", 12.5);
    fields.put("heap_used", 1_000_000L);
    fields.put("heap_max", 4_000_000L);
    fields.put("gc_count", 3L);
    fields.put("gc_time_ms", 40L);
    fields.put("threads", 33);
    feed(s, Frames.counters(PID, "shop", fields), APP);
    feed(s, Frames.counters(PID, "shop", Map.of("gc_count", 2L, "gc_time_ms", 5L)), APP);

    AppView a = s.apps().get(0);
    assertThat(s.apps()).hasSize(1);
    assertThat(a.name()).isEqualTo("shop");
    assertThat(a.provisional()).isFalse();
    assertThat(a.pid()).isEqualTo(PID);
    assertThat(a.host()).isEqualTo("demo-host");
    assertThat(a.count()).as("the transaction seen before the name stays with the app").isEqualTo(1);
    assertThat(a.gcCountTotal()).isEqualTo(5);
    assertThat(a.gcTimeTotal()).isEqualTo(45);
    assertThat(a.counters()).containsEntry("gc_count", 2L);
    assertThat(a.source()).isEqualTo("127.0.0.1:40001");

    // the same process reconfigured to another app_name is another (pid, app)
    feed(s, Frames.counters(PID, "shop-v2", Map.of()), APP);
    assertThat(s.apps()).extracting(AppView::name).containsExactly("shop", "shop-v2");
    feed(s, Frames.transaction(2, PID, T0, 10, "/a", false), APP);
    assertThat(s.transaction(2).app).isEqualTo("shop-v2");
  }

  @Test
  void statsRowsAndHitmapSlotsAddToTheFullTransactionsWithoutCountingAnyTwice() {
    AgentState s = state(Map.of("agent_offer_stats", "true"));
    feed(s, Frames.transaction(1, PID, T0, 1500, "/a", true), APP); // a slow, failed one in full
    String offer = "40001 7002,\\d+,stats=1";
    assertThat(requests).as("offered when first heard").anySatisfy(r -> assertThat(r).matches(offer));
    int[] h = new int[ElapsedBuckets.COUNT];
    h[ElapsedBuckets.index(5)] = 8;
    h[ElapsedBuckets.index(40)] = 2;
    int[] hitErrors = new int[ElapsedBuckets.COUNT];
    hitErrors[ElapsedBuckets.index(40)] = 1;
    int[] ok = h.clone();
    ok[ElapsedBuckets.index(40)] = 1; // the other one at 40 ms is the 5xx below
    feed(s, Frames.of(w -> {
      PackEncoder.statsRow(w, PID, T0, T0 + 5000, "/a", 2, 9, 0, 8 * 5 + 40, 5, 40, 0, 0, ok);
      int[] one = new int[ElapsedBuckets.COUNT];
      one[ElapsedBuckets.index(40)] = 1;
      PackEncoder.statsRow(w, PID, T0, T0 + 5000, "/a", 5, 1, 1, 40, 40, 40, 0, 0, one);
      int[] other = new int[ElapsedBuckets.COUNT];
      other[ElapsedBuckets.index(3)] = 4;
      PackEncoder.statsRow(w, PID, T0, T0 + 5000, "/b", 2, 4, 0, 12, 3, 3, 0, 0, other);
      PackEncoder.statsHitmap(w, PID, T0 + 1000, 1000, h, hitErrors);
    }), APP);
    Map<String, Stats> names = s.names(0, 0);
    assertThat(names.get("/a").count).as("1 in full + 9 + 1 counted by the process").isEqualTo(11);
    assertThat(names.get("/a").errors).isEqualTo(2);
    assertThat(names.get("/a").max).isEqualTo(1500);
    assertThat(names.get("/a").min).isEqualTo(5);
    assertThat(names.get("/a").sum).isEqualTo(1500 + 80 + 40);
    assertThat(names.get("/a").percentile(50)).isEqualTo(5);
    assertThat(names.get("/b").count).isEqualTo(4);
    assertThat(s.openInterval(0).count).isEqualTo(15);
    List<TransactionHistory.HitPoint> hits = s.hitmap(0, 0, 1000);
    assertThat(hits.stream().mapToInt(TransactionHistory.HitPoint::count).sum()).as("1 point + 10 in cells").isEqualTo(11);
    assertThat(hits).filteredOn(TransactionHistory.HitPoint::error)
        .extracting(TransactionHistory.HitPoint::count).containsExactlyInAnyOrder(1, 1);
    assertThat(hits).filteredOn(p -> p.count() == 8).singleElement()
        .satisfies(p -> assertThat(p.elapsed()).isEqualTo(5))
        .satisfies(p -> assertThat(p.end()).isEqualTo(T0 + 1500));
    assertThat(s.transactions(0, false, 100)).as("only the full one is listed").hasSize(1);
    assertThat(s.statsRows.sum()).isEqualTo(3);
    assertThat(s.statsHitmapSlots.sum()).isEqualTo(1);
  }

  @Test
  void aNewProcessIsAskedForItsConfigurationWhichNamesItAtOnce() {
    AgentState s = state(Map.of());
    feed(s, Frames.transaction(1, PID, T0, 10, "/a", false), APP);
    assertThat(requests).singleElement().satisfies(r -> assertThat(r).matches("40001 4,\\d+,"));
    feed(s, Frames.of(w -> PackEncoder.txParam(w, "4", "1", "app_name=shop\napp_process_name=jetty\n"
        + "net_udp_port=6600\n")), APP);
    AppView a = s.apps().get(0);
    assertThat(a.name()).isEqualTo("shop");
    assertThat(a.provisional()).isFalse();
    assertThat(a.process()).isEqualTo("jetty");
    assertThat(s.appNames()).containsEntry(a.id(), "shop");
    assertThat(s.transaction(1).appId).isEqualTo(a.id());
    feed(s, Frames.transaction(2, PID, T0, 10, "/a", false), APP);
    assertThat(requests).as("asked once per process").hasSize(1);
  }

  @Test
  void relayPacksOtherThanAppCountersAreCountedAndIgnored() {
    AgentState s = state(Map.of());
    feed(s, Frames.of(w -> PackEncoder.encode(new RelayPack(new TagCountPack(0, 0, 1L, "app_filedescriptor",
        Map.of("pid", "1"), Map.of("fd", 3)), null), w)), APP);
    feed(s, Frames.of(w -> PackEncoder.relayRaw(w, new byte[] {0x10, 0x02, 1, 2, 3}, 0, 5)), APP);
    assertThat(s.relayOther.sum()).isEqualTo(2);
    assertThat(s.apps()).isEmpty();
  }

  @Test
  void activeStatsParamStackAndPoolAreAttributedByTheSourceAddress() {
    AgentState s = state(Map.of());
    feed(s, Frames.counters(PID, "shop", Map.of()), APP);
    feed(s, Frames.of(w -> PackEncoder.activeStats(w, new int[] {3, 1, 0, 2, 0})), APP);
    feed(s, Frames.of(w -> PackEncoder.dbConnPool(w, PID + "|jdbc:h2:mem:shop|2|8")), APP);
    feed(s, Frames.of(w -> PackEncoder.txParam(w, "25", "7", "901 5000 31 GET /stuck now\n902 20 32 GET /fast\n"
        + "not a line\n")), APP);
    assertThat(requests).as("a stack request for the one running longer than agent_stack_after_ms")
        .singleElement().satisfies(r -> assertThat(r).startsWith("40001 0,").endsWith(",901"));
    feed(s, Frames.of(w -> PackEncoder.activeStack(w, "31, 901, java.lang.Thread.sleep(Native Method)\n"
        + "\tat demo.Stuck.run")), APP);
    // a second list does not ask again for the same transaction
    feed(s, Frames.of(w -> PackEncoder.txParam(w, "25", "8", "901 6000 31 GET /stuck now\n")), APP);
    assertThat(requests).hasSize(1);

    AppView a = s.apps().get(0);
    assertThat(a.bands()).containsExactly(3, 1, 0, 2, 0);
    assertThat(a.dbPool()).isEqualTo(PID + "|jdbc:h2:mem:shop|2|8");
    assertThat(a.actives()).singleElement().satisfies(t -> {
      assertThat(t.txid()).isEqualTo(901);
      assertThat(t.runningMs()).isEqualTo(6000);
      assertThat(t.threadId()).isEqualTo(31);
      assertThat(t.method()).isEqualTo("GET");
      assertThat(t.name()).isEqualTo("/stuck now");
    });
    assertThat(a.stacks()).containsEntry(901L, "java.lang.Thread.sleep(Native Method)\n\tat demo.Stuck.run");

    feed(s, Frames.transaction(901, PID, T0, 6500, "/stuck", false), APP);
    assertThat(s.transaction(901).activeStack).startsWith("java.lang.Thread.sleep");
    assertThat(s.apps().get(0).stacks()).isEmpty();
    assertThat(s.apps().get(0).actives()).as("ended: no longer active, though the list is older").isEmpty();

    feed(s, Frames.of(w -> PackEncoder.activeStats(w, new int[] {0, 0, 0, 0, 0})), STRANGER);
    assertThat(s.unattributed.sum()).isEqualTo(1);
  }

  @Test
  void pollingAsksEveryRecentlyHeardApplicationForItsActiveList() {
    AgentState s = state(Map.of());
    feed(s, Frames.counters(PID, "shop", Map.of()), APP);
    feed(s, Frames.counters(PID + 1, "inventory", Map.of()), STRANGER);
    s.pollActives();
    assertThat(requests).hasSize(2).allSatisfy(r -> assertThat(r).matches("(40001|40999) 25,\\d+,"));
    now += 60_000;
    requests.clear();
    s.pollActives();
    assertThat(requests).as("silent for a minute: not asked").isEmpty();
  }

  @Test
  void unknownFramesAreSkippedAndTheFollowingFramesStillApply() {
    AgentState s = state(Map.of());
    byte[] d = Frames.of(w -> {
      int mark = w.beginFrame(99);
      w.writeInt(12345);
      w.endFrame(mark);
      // a TX_START of another agent family (Java's version numbers): skipped by its length
      int m2 = w.beginFrame(PackType.TX_START);
      w.writeLong(5);
      w.endFrame(m2);
      w.array()[m2 + 1] = 0;
      w.array()[m2 + 2] = 0;
      w.array()[m2 + 3] = 0x27;
      w.array()[m2 + 4] = 0x10;
      Frames.start(w, 5, PID, T0, "/after-unknown");
      Frames.end(w, 5, PID, T0 + 3, "/after-unknown", 200);
    });
    feed(s, d, APP);
    assertThat(s.unknownFrames.sum()).isEqualTo(2);
    assertThat(s.malformed.sum()).isZero();
    assertThat(s.transaction(5).elapsed).isEqualTo(3);
  }

  @Test
  void anEndWithoutItsStartStillCountsFromTheEarliestStep() {
    AgentState s = state(Map.of());
    feed(s, Frames.of(w -> {
      PackEncoder.txSql(w, 6, T0 + 5, 10, 0, 0, PID, 1, "db", "SELECT 1", 1);
      Frames.end(w, 6, PID, T0 + 30, "/lost-start", 200);
    }), APP);
    TxRecord t = s.transaction(6);
    assertThat(t.startMissing).isTrue();
    assertThat(t.start).isEqualTo(T0 + 5);
    assertThat(t.elapsed).isEqualTo(25);
    assertThat(s.startsMissing.sum()).isEqualTo(1);
  }

  @Test
  void interleavedTransactionsEachJoinTheirOwnStart() {
    AgentState s = state(Map.of());
    feed(s, Frames.of(w -> {
      Frames.start(w, 301, PID, T0, "/one");
      Frames.start(w, 302, PID, T0 + 1, "/two");
    }), APP);
    feed(s, Frames.of(w -> {
      Frames.start(w, 303, PID, T0 + 2, "/three");
      Frames.end(w, 302, PID, T0 + 10, "/two", 200);
      Frames.end(w, 301, PID, T0 + 20, "/one", 200);
    }), APP);
    assertThat(s.pendingCount()).isEqualTo(1);
    feed(s, Frames.of(w -> Frames.end(w, 303, PID, T0 + 32, "/three", 200)), APP);
    assertThat(s.pendingCount()).isZero();
    assertThat(s.transaction(301).elapsed).isEqualTo(20);
    assertThat(s.transaction(302).elapsed).isEqualTo(9);
    assertThat(s.transaction(303).elapsed).isEqualTo(30);
    assertThat(s.startsMissing.sum()).isZero();
  }

  @Test
  void pendingTransactionsAndStepsAreBounded() {
    AgentState s = state(Map.of("agent_pending_max", "10", "agent_profile_steps_max", "3",
        "agent_pending_timeout_ms", "1000"));
    for (int i = 0; i < 15; i++) {
      long txid = 100 + i;
      feed(s, Frames.of(w -> Frames.start(w, txid, PID, T0, "/never-ends")), APP);
    }
    assertThat(s.pendingCount()).isEqualTo(10);
    assertThat(s.pendingEvicted.sum()).isEqualTo(5);

    feed(s, Frames.of(w -> {
      Frames.start(w, 200, PID, T0, "/many-steps");
      for (int i = 0; i < 5; i++) {
        PackEncoder.txSql(w, 200, T0 + i, 1, 0, 0, PID, 1, "db", "SELECT " + i, 0);
      }
      Frames.end(w, 200, PID, T0 + 9, "/many-steps", 200);
    }), APP);
    assertThat(s.transaction(200).steps).hasSize(3);
    assertThat(s.transaction(200).stepsDropped).isEqualTo(2);
    assertThat(s.stepsDropped.sum()).isEqualTo(2);

    now += 6000; // past agent_pending_timeout_ms and an interval boundary
    s.rollIfDue();
    assertThat(s.pendingCount()).isZero();
    assertThat(s.pendingExpired.sum()).isEqualTo(9);
  }

  @Test
  void theReceiverExpiresPendingTransactionsAtItsFirstDatagramOfALaterInterval() {
    AgentState s = state(Map.of("agent_pending_timeout_ms", "1000"));
    feed(s, Frames.of(w -> Frames.start(w, 500, PID, T0, "/never-ends")), APP);
    now += 6000; // past agent_pending_timeout_ms and an interval boundary
    s.closeDueIntervals(); // the timer: closes the interval, leaves the receiver's pending table alone
    assertThat(s.lastInterval(0)).isNotNull();
    assertThat(s.pendingCount()).isEqualTo(1);
    assertThat(s.pendingExpired.sum()).isZero();

    feed(s, Frames.transaction(501, PID, now, 5, "/next", false), APP);
    assertThat(s.pendingCount()).isZero();
    assertThat(s.pendingExpired.sum()).isEqualTo(1);
    assertThat(s.transaction(501)).isNotNull();
  }

  @Test
  void applicationsAreBoundedByTheLeastRecentlyHeard() {
    AgentState s = state(Map.of("agent_apps_max", "2"));
    feed(s, Frames.transaction(1, 1001, T0, 1, "/a", false), APP);
    now += 1;
    feed(s, Frames.transaction(2, 1002, T0, 1, "/a", false), APP);
    now += 1;
    feed(s, Frames.transaction(3, 1001, T0, 1, "/a", false), APP);
    now += 1;
    feed(s, Frames.transaction(4, 1003, T0, 1, "/a", false), APP);
    assertThat(s.apps()).extracting(AppView::pid).containsExactlyInAnyOrder(1001, 1003);
    assertThat(s.appsEvicted.sum()).isEqualTo(1);
  }

  @Test
  void keptRingsAreBoundedByCountAndTheSlowAndFailedOnesOutliveTheRecentRing() {
    AgentState s = state(Map.of("agent_recent_max", "10", "agent_kept_max", "3", "agent_slow_ms", "100"));
    feed(s, Frames.transaction(1, PID, T0, 500, "/slow", false), APP);
    feed(s, Frames.transaction(2, PID, T0, 5, "/fail", true), APP);
    for (int i = 0; i < 20; i++) {
      feed(s, Frames.transaction(10 + i, PID, T0, 5, "/fast", false), APP);
    }
    assertThat(s.recentCount()).isEqualTo(10);
    assertThat(s.transactions(0, false, 100)).hasSize(10).first().satisfies(t -> assertThat(t.txid).isEqualTo(29));
    assertThat(s.transactions(0, true, 100)).extracting(t -> t.txid).containsExactly(2L, 1L);
    assertThat(s.transaction(1)).as("kept beyond the recent ring").isNotNull();
    for (int i = 0; i < 5; i++) {
      feed(s, Frames.transaction(50 + i, PID, T0, 5, "/fail", true), APP);
    }
    assertThat(s.keptCount()).isEqualTo(3);
    assertThat(s.transaction(1)).isNull();
  }

  @Test
  void oversizedDatagramsAreDroppedUndecoded() {
    AgentState s = state(Map.of("agent_udp_max_bytes", "600"));
    byte[] big = new byte[601];
    feed(s, big, APP);
    byte[] ok = Frames.transaction(1, PID, T0, 1, "/x", false);
    feed(s, ok, APP);
    assertThat(s.oversized.sum()).isEqualTo(1);
    assertThat(s.datagrams.sum()).isEqualTo(2);
    assertThat(s.bytes.sum()).isEqualTo(601 + ok.length);
    assertThat(s.transaction(1)).isNotNull();
  }

  @Test
  void longTextsAreCutToAgentTextMax() {
    AgentState s = state(Map.of("agent_text_max", "100"));
    String sql = "SELECT " + "x".repeat(1000);
    feed(s, Frames.of(w -> {
      Frames.start(w, 1, PID, T0, "/long");
      PackEncoder.txSql(w, 1, T0, 1, 0, 0, PID, 1, "db", sql, 0);
      Frames.end(w, 1, PID, T0 + 2, "/long", 200);
    }), APP);
    assertThat(s.transaction(1).steps.get(0).title()).hasSize(101).endsWith("…");
  }
}
