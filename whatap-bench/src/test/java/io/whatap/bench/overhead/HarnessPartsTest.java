package io.whatap.bench.overhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's pure parts: reading wrk and /proc, the median and ratio arithmetic, the report. */
class HarnessPartsTest {
  static final String WRK = String.join("\n",
      "Running 20s test @ http://127.0.0.1:40111/hello",
      "  1 threads and 16 connections",
      "  Thread Stats   Avg      Stdev     Max   +/- Stdev",
      "    Latency   412.31us  201.04us  12.07ms   91.02%",
      "    Req/Sec    38.99k     1.20k   41.02k    70.00%",
      "  Latency Distribution",
      "     50%  380.00us",
      "     75%  450.00us",
      "     90%  560.00us",
      "     99%    1.21ms",
      "  776012 requests in 20.10s, 86.10MB read",
      "  Socket errors: connect 0, read 2, write 0, timeout 1",
      "  Non-2xx or 3xx responses: 4",
      "Requests/sec:  38607.56",
      "Transfer/sec:      4.28MB",
      "");

  @Test
  void readsWrkLatencyReports() {
    LoadResult r = Wrk.parse(WRK);
    assertThat(r.requests()).isEqualTo(776_012);
    assertThat(r.seconds()).isCloseTo(20.10, within(1e-9));
    assertThat(r.p50Ms()).isCloseTo(0.38, within(1e-9));
    assertThat(r.p99Ms()).isCloseTo(1.21, within(1e-9));
    assertThat(r.errors()).isEqualTo(7);
    assertThat(r.requestsPerSecond()).isCloseTo(38_607.56, within(0.01));
    assertThat(Wrk.durationMs("2.00s")).isEqualTo(2000.0);
    assertThat(Wrk.durationMs("1.50m")).isEqualTo(90_000.0);
    assertThatThrownBy(() -> Wrk.parse("wrk: connection refused")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsCpuAndRssFromProc() {
    String stat = "4242 (java (hello) x) S 1 4242 4242 0 -1 4194560 52000 0 12 0 1234 567 0 0 20 0 40 0 900 "
        + "3000000000 60000 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0 0 0 0";
    assertThat(ProcStats.parseCpuSeconds(stat)).isCloseTo(18.01, within(1e-9));
    assertThat(ProcStats.parseRssBytes(List.of("Name:\tjava", "VmRSS:\t  123456 kB", "Threads:\t40")))
        .isEqualTo(123_456L * 1024);
  }

  @Test
  void mediansAndRatios() {
    assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(Stats.median(List.of(Double.NaN, 5.0))).isEqualTo(5.0);
    assertThat(Stats.median(List.of())).isNaN();
    assertThat(Stats.ratio(97, 100)).isEqualTo(0.97);
    assertThat(Stats.ratio(97, 0)).isNaN();
    assertThat(Stats.range(List.of(0.9, Double.NaN, 1.1, 1.0))).containsExactly(0.9, 1.1);
  }

  @Test
  void ratiosAreTakenAgainstNoneOfTheSameRoundThenMedianed() {
    List<Measurement> all = List.of(
        run(1, "none", 10_000, 2.0), run(1, "whatap", 9_900, 2.1),
        run(2, "none", 20_000, 2.0), run(2, "whatap", 19_000, 2.4),
        run(3, "none", 15_000, 2.0), run(3, "whatap", 14_850, 2.0),
        Measurement.failed(1, "undertow", "brave", "Brave has no Undertow instrumentation"));
    List<Report.Row> rows = Report.summarize(all, List.of("jetty", "undertow"), List.of("none", "whatap", "brave"));
    Report.Row whatap = rows.get(1);
    assertThat(whatap.config()).isEqualTo("whatap");
    // per-round ratios 0.99, 0.95, 0.99: the median is 0.99, not the ratio of medians (15000/14850)
    assertThat(whatap.rpsRatio()).isCloseTo(0.99, within(1e-9));
    assertThat(whatap.rpsRatioRange()).containsExactly(0.95, 0.99);
    assertThat(whatap.overhead()).isCloseTo(0.01, within(1e-9));
    assertThat(whatap.rps()).isEqualTo(14_850.0);
    String md = Report.markdown(rows);
    assertThat(md).contains("| jetty | whatap | 3 | 14,850 | 0.990 (0.950..0.990) | 1.0% |");
    assertThat(md).contains("| undertow | brave | 0 | did not run: Brave has no Undertow instrumentation |");
    assertThat(OverheadHarness.targets(rows, all)).contains("jetty: WhaTap throughput loss 1.0% (target < 3%: met)");
  }

  @Test
  void aPeerThatTracedNothingIsNotTheBestPeer() {
    List<Measurement> all = List.of(
        run(1, "none", 10_000, 2.0), run(1, "whatap", 9_500, 2.1),
        run(1, "otel", 8_000, 2.6), run(1, "elastic", 10_000, 2.0));
    List<Report.Row> rows = Report.summarize(all, List.of("jetty"), List.of("none", "whatap", "otel", "elastic"));
    assertThat(OverheadHarness.targets(rows, all))
        .contains("best peer otel loses 20.0%, half of it is 10.0%: met");
  }

  @Test
  void anElasticAgentThatSentOnlyItsMetadataTracedNothing() {
    Measurement metadataOnly = new Measurement(1, "jetty", "elastic", new LoadResult(3_900_000, 30.0, 0.1, 0.7, 0), 30.0,
        100L << 20, Map.of(), Map.of("intakeRequests", 4L, "intakeBytes", 13_649L), null);
    Measurement tracing = new Measurement(1, "jetty", "elastic", new LoadResult(1_191_216, 30.0, 0.3, 1.8, 0), 40.0,
        100L << 20, Map.of(), Map.of("intakeRequests", 1_455L, "intakeBytes", 1_142_963_653L), null);
    List<Measurement> quiet = List.of(run(1, "none", 130_000, 2.0), run(1, "whatap", 110_000, 2.2),
        run(1, "otel", 85_000, 2.6), metadataOnly);
    assertThat(OverheadHarness.tracedNothing(quiet, "jetty")).isTrue();
    List<Report.Row> rows = Report.summarize(quiet, List.of("jetty"), List.of("none", "whatap", "otel", "elastic"));
    assertThat(OverheadHarness.targets(rows, quiet)).contains("best peer otel");
    assertThat(OverheadHarness.tracedNothing(List.of(run(1, "none", 50_000, 2.0), tracing), "jetty")).isFalse();
  }

  @Test
  void theHarnessSectionReplacesItselfAndLeavesTheRestOfTheDocument() {
    String doc = "# Benchmarks\n\nintro\n\n" + Report.BEGIN + "\nold\n" + Report.END + "\n\n## After\n";
    String next = Report.replaceSection(doc, "new table\n");
    assertThat(next).isEqualTo("# Benchmarks\n\nintro\n\n" + Report.BEGIN + "\nnew table\n" + Report.END + "\n\n## After\n");
    assertThat(Report.replaceSection("# B\n", "x")).isEqualTo("# B\n\n" + Report.BEGIN + "\nx\n" + Report.END + "\n");
  }

  @Test
  void statsLinesAndOptions() {
    assertThat(OverheadHarness.parseStats("STATS heapUsedAfterGc=123 txQueued=7"))
        .isEqualTo(Map.of("heapUsedAfterGc", 123L, "txQueued", 7L));
    OverheadHarness.Options o = OverheadHarness.Options.parse(new String[] {"--rounds", "2", "--duration", "1m",
        "--configs", "none,whatap"});
    assertThat(o.rounds).isEqualTo(2);
    assertThat(o.durationSec).isEqualTo(60);
    assertThat(o.configs).containsExactly("none", "whatap");
    assertThat(o.commandLine).isEqualTo("--rounds 2 --duration 1m --configs none,whatap");
    assertThatThrownBy(() -> OverheadHarness.Options.parse(new String[] {"--configs", "whatap,none"}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readsTheLocalAgentsMetrics() {
    Map<String, Double> m = LocalAgent.parseMetrics("# HELP whatap_agent_frames_total Frames decoded.\n"
        + "# TYPE whatap_agent_frames_total counter\nwhatap_agent_frames_total 1234\n"
        + "whatap_transactions_total{app=\"hello\"} 7\nwhatap_agent_completed_transactions_total 617\n");
    assertThat(m).containsEntry("whatap_agent_frames_total", 1234.0)
        .containsEntry("whatap_agent_completed_transactions_total", 617.0)
        .doesNotContainKey("whatap_transactions_total{app=\"hello\"}");
  }

  /** A peer that traced nothing is drawn grey, not in its colour, so its ratio does not read as a tracing cost. */
  @Test
  void theChartGreysOutAPeerThatTracedNothing(@TempDir Path dir) throws Exception {
    List<Measurement> all = List.of(run(1, "none", 130_000, 2.0), run(1, "whatap", 110_000, 2.2),
        run(1, "elastic", 131_000, 2.0));
    List<Report.Row> rows = Report.summarize(all, List.of("jetty"), List.of("none", "whatap", "elastic"));
    Path coloured = dir.resolve("coloured.png");
    Path greyed = dir.resolve("greyed.png");
    Report.chart(rows, coloured, "t", Set.of());
    Report.chart(rows, greyed, "t", Set.of("jetty/elastic"));
    int elasticRed = 0xd62728;
    assertThat(pixels(coloured, elasticRed)).isGreaterThan(1000);
    assertThat(pixels(greyed, elasticRed)).isZero();
    assertThat(pixels(greyed, 0x1f77b4)).as("whatap keeps its colour").isGreaterThan(1000);
  }

  private static int pixels(Path png, int rgb) throws IOException {
    BufferedImage img = ImageIO.read(png.toFile());
    int n = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == rgb) {
          n++;
        }
      }
    }
    return n;
  }

  private static Measurement run(int round, String config, long requests, double cpuSeconds) {
    return new Measurement(round, "jetty", config, new LoadResult(requests, 1.0, 1.0, 2.0, 0), cpuSeconds,
        100L << 20, Map.of("heapUsedAfterGc", 20L << 20), Map.of(), null);
  }

  @Test
  void slicesAddUpAndTheirPercentilesAreWeightedByRequests() {
    LoadResult r = LoadResult.combine(java.util.List.of(new LoadResult(1000, 5, 0.2, 1.0, 0),
        new LoadResult(3000, 5, 0.1, 2.0, 1)));
    assertThat(r.requests()).isEqualTo(4000);
    assertThat(r.seconds()).isEqualTo(10);
    assertThat(r.errors()).isEqualTo(1);
    assertThat(r.requestsPerSecond()).isEqualTo(400);
    assertThat(r.p50Ms()).isCloseTo(0.125, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.p99Ms()).isCloseTo(1.75, org.assertj.core.data.Offset.offset(1e-9));
    OverheadHarness.Options o = OverheadHarness.Options.parse(new String[] {"--slices", "4"});
    assertThat(o.slices).isEqualTo(4);
  }
}
