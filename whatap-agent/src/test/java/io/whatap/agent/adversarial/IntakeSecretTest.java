package io.whatap.agent.adversarial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.agent.AgentState;
import io.whatap.agent.Frames;
import io.whatap.agent.LocalAgent;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.settings.MemoryPlan;
import io.whatap.wire.DatagramSeal;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
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

  /**
   * An intake bound beyond loopback takes packs from any host: the agent says so when it starts,
   * naming net_udp_secret. 192.0.2.1 (TEST-NET-1, on no interface here) binds nowhere, so the
   * warning, given before the socket is bound, is seen without opening a port to the network.
   */
  @Test
  void anIntakeBeyondLoopbackIsWarnedOfAtStart() {
    Logger logger = Logger.getLogger(LocalAgent.class.getName());
    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
          warnings.add(r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    logger.addHandler(capture);
    try {
      assertThatThrownBy(() -> LocalAgent.start(AgentSettings.of(Map.of("net_udp_host", "192.0.2.1", "net_udp_port", "0",
          "agent_http_port", "0")))).isInstanceOf(IOException.class);
      assertThat(warnings).anySatisfy(w -> assertThat(w).contains("net_udp_host=192.0.2.1 is not a loopback address")
          .contains("set net_udp_secret"));
      warnings.clear();
      assertThatThrownBy(() -> LocalAgent.start(AgentSettings.of(Map.of("net_udp_host", "192.0.2.1", "net_udp_port", "0",
          "agent_http_port", "0", "net_udp_secret", "s3cret")))).isInstanceOf(IOException.class);
      assertThat(warnings).anySatisfy(w -> assertThat(w).contains("not a loopback address")
          .contains("datagrams not signed with net_udp_secret are dropped").doesNotContain("s3cret"));
    } finally {
      logger.removeHandler(capture);
    }
  }
}
