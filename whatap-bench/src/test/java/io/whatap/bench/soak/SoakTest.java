package io.whatap.bench.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.bench.soak.SoakChecks.Check;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak's checks: fed figures that must fail, they fail; and a small soak (2,000 requests
 * through Undertow, the app and the local agent in their own JVMs) passes every check.
 */
class SoakTest {
  private static final long MB = 1024 * 1024;

  @Test
  void sentMustEqualReceivedAndNothingDropped() {
    assertThat(SoakChecks.sentEqualsReceived(2000, 0, 2000).ok()).isTrue();
    assertThat(SoakChecks.sentEqualsReceived(2000, 0, 1999).ok()).isFalse();
    assertThat(SoakChecks.sentEqualsReceived(2000, 0, 2001).ok()).isFalse();
    // 1,999 sent and 1,999 received, but the sender dropped one: not every transaction arrived
    assertThat(SoakChecks.sentEqualsReceived(2000, 1, 1999).ok()).isFalse();
  }

  @Test
  void heapIsFlatWithinTheStatedBoundOfTheFirstSampleAfterWarmUp() {
    List<Long> flat = List.of(20 * MB, 24 * MB, 21 * MB, 27 * MB);
    assertThat(SoakChecks.heapFlat("app", flat, 8 * MB, 0.10).ok()).isTrue();
    List<Long> growing = List.of(20 * MB, 24 * MB, 26 * MB, 29 * MB);
    Check c = SoakChecks.heapFlat("app", growing, 8 * MB, 0.10);
    assertThat(c.ok()).isFalse();
    assertThat(c.detail()).contains("+9.0 MB").contains("bound +8.0 MB");
    // the relative bound wins on a large heap: 10% of 200 MB
    assertThat(SoakChecks.heapFlat("agent", List.of(200 * MB, 219 * MB), 8 * MB, 0.10).ok()).isTrue();
    assertThat(SoakChecks.heapFlat("agent", List.of(200 * MB, 221 * MB), 8 * MB, 0.10).ok()).isFalse();
    assertThat(SoakChecks.heapFlat("agent", List.of(200 * MB), 8 * MB, 0.10).ok()).isFalse();
  }

  @Test
  void activeMustBeZeroEverywhereAndNothingEvicted() {
    assertThat(SoakChecks.activeBackToZero(0, 0, 0, 0).ok()).isTrue();
    assertThat(SoakChecks.activeBackToZero(1, 0, 0, 0).ok()).isFalse();
    assertThat(SoakChecks.activeBackToZero(0, 1, 0, 0).ok()).isFalse();
    assertThat(SoakChecks.activeBackToZero(0, 0, 1, 0).ok()).isFalse();
    assertThat(SoakChecks.activeBackToZero(0, 0, 0, 1).ok()).isFalse();
    assertThat(SoakChecks.activeBackToZero(0, 0, 0, -1).ok()).as("no ACTIVE_STATS received").isFalse();
  }

  @Test
  void everyRequestTracedAndAnsweredAsItsKind() {
    assertThat(SoakChecks.everyRequestTraced(2000, 0, 2000).ok()).isTrue();
    assertThat(SoakChecks.everyRequestTraced(2000, 0, 1999).ok()).isFalse();
    assertThat(SoakChecks.everyRequestTraced(1999, 1, 1999).ok()).isFalse();
    assertThat(SoakChecks.responsesAsExpected(0, 0, null).ok()).isTrue();
    assertThat(SoakChecks.responsesAsExpected(1, 0, "/hello answered 500").ok()).isFalse();
    assertThat(SoakChecks.responsesAsExpected(0, 1, "/async: read timed out").ok()).isFalse();
    assertThat(SoakLoad.Kind.ASYNC.expected(200)).isFalse();
    assertThat(SoakLoad.Kind.FAST.expected(500)).isFalse();
  }

  @Test
  void theMixIsExactPerHundredRequests() {
    int[] kinds = new int[3];
    for (long n = 0; n < 2000; n++) {
      kinds[SoakLoad.kindOf(n, 5, 5).ordinal()]++;
    }
    assertThat(kinds).containsExactly(1800, 100, 100);
  }

  @Test
  void theActiveFigureIsTheInFlightTotalAndMinusOneWithoutActiveStats() {
    String metrics = "# TYPE whatap_transactions_in_flight gauge\n"
        + "whatap_transactions_in_flight{app=\"a\",host=\"h\",instance_id=\"a@h/java\",le=\"1\"} 2\n"
        + "whatap_transactions_in_flight{app=\"a\",host=\"h\",instance_id=\"a@h/java\",le=\"+Inf\"} 3\n"
        + "whatap_agent_pending_transactions 0\n";
    assertThat(Soak.activeInLastStats(metrics)).isEqualTo(3);
    assertThat(Soak.activeInLastStats("whatap_agent_pending_transactions 0\n")).isEqualTo(-1);
  }

  /** 2,000 requests (5% async timeouts, 5% errors) through Undertow with the local agent receiving. */
  @Test
  void aSmallSoakThroughOneAdapterPassesEveryCheck(@TempDir Path out) throws Exception {
    Soak.Options o = Soak.Options.parse(new String[] {"--servers", "undertow", "--requests", "2000",
        "--samples", "4", "--connections", "4", "--heap", "128m", "--whatap-agent", "", "--out", out.toString()});
    o.classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<Soak.ServerResult> results = new Soak(o).run();
    assertThat(results).hasSize(1);
    Soak.ServerResult r = results.get(0);
    assertThat(r.checks()).as(Soak.report(r)).hasSize(6).allMatch(Check::ok);
    assertThat(r.load().answered(SoakLoad.Kind.ASYNC)).isEqualTo(100);
    // counted once each, whether received in full or (stats mode, offered by the local agent) in statistics rows
    assertThat(r.agent().get(Soak.COUNTED)).isEqualTo(2000.0);
    assertThat(r.agent().get("whatap_agent_completed_transactions_total")).as("the errors and timeouts in full at least")
        .isBetween(200.0, 2000.0);
  }
}
