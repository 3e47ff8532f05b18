package io.whatap.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.whatap.wire.DecodeResult;
import io.whatap.wire.ElapsedBuckets;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.StatsHitmapPack;
import io.whatap.wire.StatsRowPack;
import io.whatap.wire.WireWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sender's statistics against values computed by hand for a known mix of transactions. */
class StatsAggregatorTest {
  private static final long BASE = 1_764_000_000_000L; // a whole second
  private static final int PID = 4242;

  private final StatsAggregator stats = new StatsAggregator();

  private void add(String name, int status, int elapsed, boolean error, long end, int namesMax) {
    stats.add(stats.row(name, namesMax), status, elapsed, error, 2, 3, end);
  }

  private List<Object> flush(long end) {
    WireWriter out = new WireWriter(1024);
    List<Integer> marks = new ArrayList<>();
    stats.writeTo(out, PID, end, marks::add);
    DecodeResult r = PackDecoder.decode(out.toByteArray());
    assertThat(r.ok()).as(r.error()).isTrue();
    assertThat(marks).as("one afterFrame per frame written").hasSize(r.packs().size());
    return new ArrayList<>(r.packs());
  }

  @Test
  void aKnownMixGivesTheHandComputedRowsPercentilesAndHitmapCells() {
    // /a: 100 successes of 1..100 ms, ending 20 ms apart (seconds 0 and 1), and ten failures of 200 ms in second 2
    for (int i = 0; i < 100; i++) {
      add("/a", 200, i + 1, false, BASE + i * 20L, 10);
    }
    for (int i = 0; i < 10; i++) {
      add("/a", 500, 200, true, BASE + 2500, 10);
    }
    for (int i = 0; i < 5; i++) {
      add("/b", 404, 3, false, BASE + 2600, 10);
    }
    add("/no-status", 0, 7, false, BASE + 2700, 10);
    List<Object> packs = flush(BASE + 5000);

    Map<String, StatsRowPack> rows = new HashMap<>();
    List<StatsHitmapPack> slots = new ArrayList<>();
    for (Object p : packs) {
      if (p instanceof StatsRowPack r) {
        rows.put(r.name() + " " + r.statusClass(), r);
      } else {
        slots.add((StatsHitmapPack) p);
      }
    }
    assertThat(rows).containsOnlyKeys("/a 2", "/a 5", "/b 4", "/no-status 0");

    StatsRowPack ok = rows.get("/a 2");
    assertThat(ok.pid()).isEqualTo(PID);
    assertThat(ok.start()).as("the first interval starts with its first transaction").isEqualTo(BASE - 1);
    assertThat(ok.end()).isEqualTo(BASE + 5000);
    assertThat(ok.count()).isEqualTo(100);
    assertThat(ok.errors()).isZero();
    assertThat(ok.elapsedSum()).isEqualTo(5050);
    assertThat(ok.elapsedMin()).isEqualTo(1);
    assertThat(ok.elapsedMax()).isEqualTo(100);
    assertThat(ok.cpuSum()).isEqualTo(200);
    assertThat(ok.steps()).isEqualTo(300);
    // exact nearest-rank percentiles of 1..100 are 50, 90, 99, 100; the buckets hold them within 5 %
    int[] h = ok.histogram();
    assertThat((double) ElapsedBuckets.percentile(h, 50, 1, 100)).isCloseTo(50, within(2.5));
    assertThat((double) ElapsedBuckets.percentile(h, 90, 1, 100)).isCloseTo(90, within(4.5));
    assertThat((double) ElapsedBuckets.percentile(h, 99, 1, 100)).isCloseTo(99, within(4.95));
    assertThat(ElapsedBuckets.percentile(h, 100, 1, 100)).isEqualTo(100);
    assertThat(ElapsedBuckets.percentile(h, 50, 1, 100)).isEqualTo(50); // [50, 51]: midpoint 50
    assertThat(ElapsedBuckets.percentile(h, 90, 1, 100)).isEqualTo(89); // [88, 91]
    assertThat(ElapsedBuckets.percentile(h, 99, 1, 100)).isEqualTo(97); // [96, 99]

    StatsRowPack failed = rows.get("/a 5");
    assertThat(failed.count()).isEqualTo(10);
    assertThat(failed.errors()).isEqualTo(10);
    assertThat(failed.elapsedSum()).isEqualTo(2000);
    assertThat(failed.elapsedMin()).isEqualTo(200);
    assertThat(failed.elapsedMax()).isEqualTo(200);
    assertThat(failed.histogram()[ElapsedBuckets.index(200)]).isEqualTo(10);
    assertThat(rows.get("/b 4").count()).isEqualTo(5);
    assertThat(rows.get("/b 4").errors()).isZero();
    assertThat(rows.get("/no-status 0").count()).isEqualTo(1);

    // hitmap: second 0 holds 1..50 ms, second 1 holds 51..100 ms, second 2 the failures and /b and /no-status
    assertThat(slots).extracting(StatsHitmapPack::slotStart).containsExactlyInAnyOrder(BASE, BASE + 1000, BASE + 2000);
    for (StatsHitmapPack s : slots) {
      assertThat(s.slotMs()).isEqualTo(1000);
      int second = (int) ((s.slotStart() - BASE) / 1000);
      int[] expected = new int[ElapsedBuckets.COUNT];
      int[] expectedErrors = new int[ElapsedBuckets.COUNT];
      if (second < 2) {
        for (int ms = 1 + second * 50; ms <= 50 + second * 50; ms++) {
          expected[ElapsedBuckets.index(ms)]++;
        }
      } else {
        expected[ElapsedBuckets.index(200)] = 10;
        expectedErrors[ElapsedBuckets.index(200)] = 10;
        expected[ElapsedBuckets.index(3)] = 5;
        expected[ElapsedBuckets.index(7)] = 1;
      }
      assertThat(s.counts()).as("second " + second).containsExactly(expected);
      assertThat(s.errors()).as("second " + second).containsExactly(expectedErrors);
    }

    assertThat(stats.isEmpty()).isTrue();
    assertThat(flush(BASE + 10_000)).as("an empty interval writes nothing").isEmpty();
    add("/a", 200, 5, false, BASE + 11_000, 10);
    StatsRowPack next = (StatsRowPack) flush(BASE + 15_000).get(0);
    assertThat(next.start()).as("the next interval starts where the last ended").isEqualTo(BASE + 10_000);
    assertThat(next.count()).isEqualTo(1);
    assertThat(next.histogram()[ElapsedBuckets.index(5)]).isEqualTo(1);
  }

  @Test
  void namesBeyondTheCapAreCountedInOneOtherRow() {
    add("/one", 200, 1, false, BASE, 2);
    add("/two", 200, 1, false, BASE, 2);
    add("/three", 200, 1, false, BASE, 2);
    add("/four", 200, 9, true, BASE, 2);
    add("/one", 200, 1, false, BASE, 2);
    Map<String, Long> counts = new HashMap<>();
    long errors = 0;
    for (Object p : flush(BASE + 5000)) {
      if (p instanceof StatsRowPack r) {
        counts.merge(r.name(), r.count(), Long::sum);
        errors += r.errors();
      }
    }
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("/one", 2L, "/two", 1L, StatsRowPack.OTHER_NAMES, 2L));
    assertThat(errors).isEqualTo(1);
    assertThat(stats.namesFolded).isEqualTo(2);

    // names unused in an interval are forgotten, so new ones get rows of their own
    add("/five", 200, 1, false, BASE + 6000, 2);
    flush(BASE + 10_000);
    add("/six", 200, 1, false, BASE + 11_000, 2);
    assertThat(flush(BASE + 15_000)).extracting(p -> p instanceof StatsRowPack r ? r.name() : "hitmap")
        .contains("/six").doesNotContain(StatsRowPack.OTHER_NAMES);
  }

  @Test
  void samplesAreCountedPerNameAndPerInterval() {
    StatsAggregator.Row row = stats.row("/s", 10);
    assertThat(row.takeSample(2)).isTrue();
    assertThat(row.takeSample(2)).isTrue();
    assertThat(row.takeSample(2)).isFalse();
    stats.add(row, 200, 1, false, 0, 0, BASE);
    flush(BASE + 5000);
    assertThat(stats.row("/s", 10).takeSample(2)).as("a new interval, new samples").isTrue();
  }

  @Test
  void theSecondCountTellsAQuietProcess() {
    assertThat(stats.tick(BASE)).isEqualTo(1);
    assertThat(stats.tick(BASE + 999)).isEqualTo(2);
    assertThat(stats.tick(BASE + 1000)).isEqualTo(1);
  }
}
