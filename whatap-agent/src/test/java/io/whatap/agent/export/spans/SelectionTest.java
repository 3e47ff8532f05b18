package io.whatap.agent.export.spans;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.Frames;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.export.ExportTraffic;
import io.whatap.agent.settings.AgentSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** export_select: all, slow and failed, a sample drawn from the trace id. */
class SelectionTest {
  private static Selection selection(Map<String, String> options) {
    return new Selection(AgentSettings.of(options).export);
  }

  private static TxRecord tx(long txid, int elapsed, boolean error) {
    ExportTraffic traffic = new ExportTraffic(Map.of());
    traffic.send(Frames.transaction(txid, 101, System.currentTimeMillis() - elapsed, elapsed, "/x", error));
    return traffic.byTxid(txid);
  }

  @Test
  void allTakesEverything() {
    Selection all = selection(Map.of());
    assertThat(all.selected(tx(1, 1, false))).isTrue();
  }

  @Test
  void slowAndFailedTakesThoseAtOrOverTheBoundAndTheFailedOnes() {
    Selection s = selection(Map.of("export_select", "slow_and_failed", "export_slow_ms", "100"));
    assertThat(s.selected(tx(1, 99, false))).isFalse();
    assertThat(s.selected(tx(2, 100, false))).isTrue();
    assertThat(s.selected(tx(3, 5, true))).isTrue();
  }

  @Test
  void theSampleIsTheRatioOfTraceIdsAndTheSameForTheSameTrace() {
    Selection s = selection(Map.of("export_select", "sample", "export_sample_ratio", "0.25"));
    int in = 0;
    for (long id = 1; id <= 20_000; id++) {
      if (s.sampled(id)) {
        in++;
      }
      assertThat(s.sampled(id)).isEqualTo(s.sampled(id));
    }
    assertThat(in).isBetween(4500, 5500);
    assertThat(selection(Map.of("export_select", "sample", "export_sample_ratio", "0")).sampled(7)).isFalse();
    assertThat(selection(Map.of("export_select", "sample", "export_sample_ratio", "1")).sampled(7)).isTrue();
    // slow and failed ones are always in the sample
    Selection none = selection(Map.of("export_select", "sample", "export_sample_ratio", "0", "export_slow_ms", "50"));
    assertThat(none.selected(tx(5, 60, false))).isTrue();
    assertThat(none.selected(tx(6, 1, true))).isTrue();
    assertThat(none.selected(tx(7, 1, false))).isFalse();
  }

  @Test
  void badValuesAreReportedAndFallBack() {
    AgentSettings s = AgentSettings.of(Map.of("export_select", "most", "export_sample_ratio", "2",
        "export_otlp_endpoint", "ftp://x", "export_otlp_headers", "authorization=Bearer s3cret,broken",
        "export_otlp_compression", "zstd"));
    assertThat(s.export.select).isEqualTo(io.whatap.agent.settings.ExportSettings.Select.ALL);
    assertThat(s.export.sampleRatio).isEqualTo(0.1);
    assertThat(s.export.otlpEndpoint).isEmpty();
    assertThat(s.export.otlpGzip).isTrue();
    assertThat(s.export.otlpHeaders).containsOnlyKeys("authorization");
    assertThat(s.export.maskedHeaders()).isEqualTo("authorization=***");
    assertThat(s.problems()).hasSize(5).noneMatch(p -> p.contains("s3cret"));
  }
}
