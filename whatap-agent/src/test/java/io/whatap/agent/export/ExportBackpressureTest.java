package io.whatap.agent.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.LocalAgent;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.testing.Await;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.WireWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A collector that accepts connections and never answers: the receiver still completes every
 * transaction at once, the export queue stays within export_queue_max and what does not fit is
 * counted as dropped, never waited for.
 */
class ExportBackpressureTest {
  private static final int TRANSACTIONS = 3000;
  private static final int PER_DATAGRAM = 50;

  /** Accepts every connection and holds it open without reading or answering. */
  private static final class SilentCollector implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<Socket> held = new CopyOnWriteArrayList<>();
    final Thread acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          held.add(socket.accept());
        } catch (IOException e) {
          return;
        }
      }
    }, "silent-collector");

    SilentCollector() throws IOException {
      acceptor.setDaemon(true);
      acceptor.start();
    }

    @Override
    public void close() throws Exception {
      socket.close();
      for (Socket s : held) {
        s.close();
      }
      acceptor.join(5000);
    }
  }

  @Test
  void aCollectorThatNeverAnswersCostsTheReceiverNothingAndDropsAreCounted() throws Exception {
    try (SilentCollector collector = new SilentCollector();
        LocalAgent agent = LocalAgent.start(AgentSettings.of(Map.of("net_udp_port", "0", "agent_http_port", "0",
            "agent_active_poll_ms", "0", "export_otlp_endpoint", "http://127.0.0.1:" + collector.socket.getLocalPort(),
            "export_zipkin_endpoint", "http://127.0.0.1:" + collector.socket.getLocalPort() + "/api/v2/spans",
            "export_queue_max", "100", "export_batch_max", "10", "export_timeout_ms", "60000")));
        DatagramSocket udp = new DatagramSocket()) {
      long t0 = System.currentTimeMillis();
      long sentAt = System.nanoTime();
      for (int d = 0; d < TRANSACTIONS / PER_DATAGRAM; d++) {
        int first = d * PER_DATAGRAM;
        WireWriter w = new WireWriter(16 * 1024);
        for (int i = first; i < first + PER_DATAGRAM; i++) {
          PackEncoder.txStartEnd(w, 5000 + i, t0, 3, 0, 0, 101, 1, "h", "/busy/" + (i % 7), "10.0.0.1", "ua", "", "",
              false, 0, 0, 0, 0, "", "", "");
        }
        byte[] bytes = w.toByteArray();
        udp.send(new DatagramPacket(bytes, bytes.length, InetAddress.getLoopbackAddress(), agent.udpPort()));
      }
      Await.until(TRANSACTIONS + " transactions completed by the receiver", Duration.ofSeconds(30),
          () -> agent.state().completed() == TRANSACTIONS, () -> agent.state().completed() + " completed");
      long receiveMs = (System.nanoTime() - sentAt) / 1_000_000;
      assertThat(agent.state().receiveErrors.sum()).isZero();
      // the exporters' threads are stuck in a request nobody answers (timeout 60 s): everything they
      // could not take was dropped at once, never waited for
      for (ExporterMeters m : agent.exports().meters()) {
        assertThat(m.queued.sum() + m.droppedQueueFull.sum()).as(m.name).isEqualTo(TRANSACTIONS);
        assertThat(m.droppedQueueFull.sum()).as(m.name).isGreaterThanOrEqualTo(TRANSACTIONS - 100 - 10);
        assertThat(m.queueSize()).as(m.name).isLessThanOrEqualTo(100);
        assertThat(m.sentTransactions.sum()).as(m.name).isZero();
      }
      assertThat(receiveMs).as("the receiver completed them without waiting for the collector (60 s timeout)")
          .isLessThan(30_000);
    }
  }
}
