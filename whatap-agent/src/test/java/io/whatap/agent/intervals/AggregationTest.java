package io.whatap.agent.intervals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.whatap.agent.AgentState;
import io.whatap.agent.Frames;
import io.whatap.agent.settings.AgentSettings;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The aggregation arithmetic, against values worked out by hand. */
class AggregationTest {
  private static final InetSocketAddress APP = new InetSocketAddress("127.0.0.1", 40001);
  private static final long T0 = 1_800_000_000_000L; // a multiple of 5000: an interval starts here

  private long now = T0 + 100;
  private final AgentState state = new AgentState(AgentSettings.of(Map.of("agent_interval_ms", "5000")), () -> now);
  private long txid;

  private void tx(String name, int elapsed, boolean error) {
    byte[] d = Frames.transaction(++txid, 77, T0, elapsed, name, error);
    state.accept(d, 0, d.length, APP);
  }

  @Test
  void histogramPercentilesAreNearestRankBucketBoundsClampedToMinAndMax() {
    Histogram h = new Histogram();
    for (int v = 1; v <= 100; v++) {
      h.add(v);
    }
    // ranks 50, 90, 99 hold 50, 90, 99; their buckets end at 50, 90 and 100 (99 lies in (90, 100])
    assertThat(h.percentile(50, 1, 100)).isEqualTo(50);
    assertThat(h.percentile(90, 1, 100)).isEqualTo(90);
    assertThat(h.percentile(99, 1, 100)).isEqualTo(100);
    assertThat(h.percentile(100, 1, 100)).isEqualTo(100);
    assertThat(new Histogram().percentile(50, 0, 0)).isZero();

    Histogram one = new Histogram();
    one.add(13); // bucket (12, 14]: reported as 14 unless the observed max is lower
    assertThat(one.percentile(50, 13, 13)).isEqualTo(13);
    one.add(50);
    assertThat(one.percentile(50, 13, 50)).isEqualTo(14);
    Histogram huge = new Histogram();
    huge.add(400_000); // beyond the last bound: the open bucket reports the observed max
    assertThat(huge.percentile(99, 400_000, 400_000)).isEqualTo(400_000);
  }

  @Test
  void oneIntervalPerApplicationAndPerName() {
    // /a: 10, 20, 30, 40, 1000 (the 1000 failed); /b: 5 and 7, both failed; /c: 13, 13, 50
    tx("/a", 10, false);
    tx("/a", 20, false);
    tx("/a", 30, false);
    tx("/a", 40, false);
    tx("/a", 1000, true);
    tx("/b", 5, true);
    tx("/b", 7, true);
    tx("/c", 13, false);
    tx("/c", 13, false);
    tx("/c", 50, false);

    Stats open = state.openInterval(0);
    assertThat(open.count).isEqualTo(10);
    assertThat(open.errors).isEqualTo(3);
    assertThat(open.sum).isEqualTo(10 + 20 + 30 + 40 + 1000 + 5 + 7 + 13 + 13 + 50);
    assertThat(state.lastInterval(0)).as("nothing closed yet").isNull();

    now = T0 + 5000; // the interval [T0, T0+5000) ends
    state.rollIfDue();
    IntervalSummary s = state.lastInterval(0);
    assertThat(s.start()).isEqualTo(T0);
    assertThat(s.durationMs()).isEqualTo(5000);
    assertThat(s.count()).isEqualTo(10);
    assertThat(s.errors()).isEqualTo(3);
    assertThat(s.errorRate()).isEqualTo(0.3);
    assertThat(s.tps()).isEqualTo(2.0); // 10 in 5 s
    assertThat(s.sum()).isEqualTo(1188);
    assertThat(s.avg()).isEqualTo(118.8);
    assertThat(s.min()).isEqualTo(5);
    assertThat(s.max()).isEqualTo(1000);
    // sorted: 5 7 10 13 13 20 30 40 50 1000; p50 = rank 5 = 13 -> bucket bound 14;
    // p90 = rank 9 = 50 -> 50; p99 = rank 10 = 1000 -> 1000
    assertThat(s.p50()).isEqualTo(14);
    assertThat(s.p90()).isEqualTo(50);
    assertThat(s.p99()).isEqualTo(1000);
    assertThat(s.cpuPct()).as("no counter pack yet").isNaN();
    assertThat(state.lastInterval(1)).as("one application: its interval is the total")
        .usingRecursiveComparison().ignoringFields("cpuPct").isEqualTo(s);

    Map<String, Stats> names = state.names(0, 1);
    assertThat(names).containsOnlyKeys("/a", "/b", "/c");
    Stats a = names.get("/a");
    assertThat(a.count).isEqualTo(5);
    assertThat(a.errors).isEqualTo(1);
    assertThat(a.sum).isEqualTo(1100);
    assertThat(a.minOrZero()).isEqualTo(10);
    assertThat(a.max).isEqualTo(1000);
    assertThat(a.average()).isEqualTo(220.0);
    assertThat(a.percentile(50)).isEqualTo(30); // rank 3 of 10 20 30 40 1000
    assertThat(a.percentile(90)).isEqualTo(1000); // rank 5
    Stats b = names.get("/b");
    assertThat(b.errorRate()).isEqualTo(1.0);
    assertThat(b.percentile(50)).isEqualTo(5);
    assertThat(b.percentile(99)).isEqualTo(7);
  }

  @Test
  void namesMergeOverTheWindowAndSinceStartAndEmptyIntervalsAreZeros() {
    tx("/a", 10, false);
    tx("/a", 30, false);
    now = T0 + 5000;
    state.rollIfDue();
    tx("/a", 20, true);
    now = T0 + 20_000; // two empty intervals follow the second one
    state.rollIfDue();

    List<IntervalSummary> series = state.series(0, T0);
    assertThat(series).extracting(IntervalSummary::start)
        .containsExactly(T0, T0 + 5000, T0 + 10_000, T0 + 15_000);
    assertThat(series).extracting(IntervalSummary::count).containsExactly(2L, 1L, 0L, 0L);
    assertThat(series.get(3).tps()).isZero();
    assertThat(series.get(3).p90()).isZero();

    Stats all = state.names(0, 0).get("/a");
    assertThat(all.count).isEqualTo(3);
    assertThat(all.errors).isEqualTo(1);
    assertThat(all.sum).isEqualTo(60);
    assertThat(all.minOrZero()).isEqualTo(10);
    assertThat(all.max).isEqualTo(30);
    assertThat(all.percentile(50)).isEqualTo(20);

    assertThat(state.names(0, 2)).as("the last two intervals were empty").isEmpty();
    Stats lastThree = state.names(0, 3).get("/a");
    assertThat(lastThree.count).isEqualTo(1);
    assertThat(lastThree.average()).isCloseTo(20.0, within(1e-9));
  }

  @Test
  void countersOfTheIntervalComeFromTheLastCounterPackAndGcDeltasAddUp() {
    byte[] c1 = Frames.counters(77, "shop", Map.of("cpu_pct", 10.0, "heap_used", 100L, "heap_max", 1000L,
        "gc_count", 2L, "gc_time_ms", 30L, "threads", 20));
    byte[] c2 = Frames.counters(77, "shop", Map.of("cpu_pct", 30.0, "heap_used", 300L, "heap_max", 1000L,
        "gc_count", 1L, "gc_time_ms", 5L, "threads", 22));
    state.accept(c1, 0, c1.length, APP);
    state.accept(c2, 0, c2.length, APP);
    now = T0 + 5000;
    state.rollIfDue();
    IntervalSummary s = state.lastInterval(1);
    assertThat(s.cpuPct()).isEqualTo(30.0);
    assertThat(s.heapUsed()).isEqualTo(300);
    assertThat(s.heapMax()).isEqualTo(1000);
    assertThat(s.threads()).isEqualTo(22);
    assertThat(s.gcCount()).isEqualTo(3);
    assertThat(s.gcTimeMs()).isEqualTo(35);

    now = T0 + 60_000; // silent for a minute: its counters are unknown, not repeated
    state.rollIfDue();
    IntervalSummary later = state.lastInterval(1);
    assertThat(later.cpuPct()).isNaN();
    assertThat(later.heapUsed()).isEqualTo(-1);
    assertThat(later.gcCount()).isZero();
  }

  @Test
  void namesBeyondTheLimitAreCountedTogether() {
    AgentState small = new AgentState(AgentSettings.of(Map.of("agent_names_max", "10")), () -> now);
    for (int i = 0; i < 25; i++) {
      byte[] d = Frames.transaction(i + 1, 77, T0, 1, "/n" + i, false);
      small.accept(d, 0, d.length, APP);
    }
    Map<String, Stats> names = small.names(0, 0);
    assertThat(names).hasSize(11).containsKey(Aggregate.OTHER_NAMES);
    assertThat(names.get(Aggregate.OTHER_NAMES).count).isEqualTo(15);
  }

  @Test
  void everyValueFallsIntoTheFirstBucketWhoseBoundHoldsIt() {
    for (long ms = -5; ms <= 400_000; ms += ms < 3000 ? 1 : 997) {
      int expected = 0;
      while (expected < Histogram.BOUNDS.length && Histogram.BOUNDS[expected] < ms) {
        expected++;
      }
      org.assertj.core.api.Assertions.assertThat(Histogram.bucket(ms)).as("bucket of %d ms", ms).isEqualTo(expected);
    }
  }
}
