package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.agent.AgentState;
import io.whatap.agent.Frames;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.settings.MemoryPlan;
import io.whatap.wire.DatagramSeal;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** net_udp_secret: sealed datagrams are taken, others dropped and counted; the memory plan refuses what cannot fit. */
class IntakeSecretTest {
  private static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40000);

  @Test
  void withASecretOnlySealedDatagramsAreTaken() {
    AgentState state = new AgentState(AgentSettings.of(Map.of("net_udp_secret", "s3cret")), System::currentTimeMillis);
    byte[] tx = Frames.transaction(1, 99, System.currentTimeMillis(), 5, "/signed", false);
    state.accept(tx, 0, tx.length, FROM);
    byte[] forged = new DatagramSeal("guess").seal(tx, tx.length);
    state.accept(forged, 0, forged.length, FROM);
    assertThat(state.unsigned.sum()).isEqualTo(2);
    assertThat(state.completed()).isZero();
    byte[] sealed = new DatagramSeal("s3cret").seal(tx, tx.length);
    state.accept(sealed, 0, sealed.length, FROM);
    assertThat(state.completed()).isEqualTo(1);
    assertThat(state.transaction(1).name).isEqualTo("/signed");
  }

  @Test
  void withoutASecretASealIsSkipped() {
    AgentState state = new AgentState(AgentSettings.of(Map.of()), System::currentTimeMillis);
    byte[] tx = Frames.transaction(2, 99, System.currentTimeMillis(), 5, "/sealed", false);
    byte[] sealed = new DatagramSeal("any").seal(tx, tx.length);
    state.accept(sealed, 0, sealed.length, FROM);
    assertThat(state.completed()).isEqualTo(1);
    assertThat(state.unknownFrames.sum()).isZero();
  }

  @Test
  void boundsLargerThanTheHeapAreRefusedAndCloseToItWarned() {
    MemoryPlan defaults = new MemoryPlan(AgentSettings.of(Map.of()));
    assertThatThrownBy(() -> defaults.check(128L << 20)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("agent_pending_memory_mb").hasMessageContaining("-Xmx");
    assertThat(defaults.check((long) (defaults.totalBytes() / 0.9))).contains("% of the heap");
    assertThat(defaults.check(defaults.totalBytes() * 2)).isNull();
  }
}
