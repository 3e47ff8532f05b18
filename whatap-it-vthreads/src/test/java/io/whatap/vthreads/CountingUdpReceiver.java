package io.whatap.vthreads;

import io.whatap.wire.DecodeResult;
import io.whatap.wire.Pack;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxStartEndPack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A real UDP receiver on loopback for the load tests: it decodes every datagram like the local
 * agent and counts what ended, keeping nothing (io.whatap.testing.UdpTestReceiver keeps every
 * pack, which a heap measurement over 100,000 transactions cannot afford).
 */
public final class CountingUdpReceiver implements AutoCloseable {
  private final DatagramChannel channel;
  private final Thread thread;
  private final AtomicLong ended = new AtomicLong();
  private final AtomicLong datagrams = new AtomicLong();
  private final AtomicLong decodeErrors = new AtomicLong();
  private volatile boolean closed;

  public CountingUdpReceiver() throws IOException {
    channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, 16 * 1024 * 1024);
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::loop, "counting-udp-receiver");
    thread.setDaemon(true);
    thread.start();
  }

  /** The options that point the agent at this receiver. */
  public Map<String, String> agentOptions() throws IOException {
    int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    return Map.of("net_udp_host", "127.0.0.1", "net_udp_port", String.valueOf(port));
  }

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocate(65_536);
    while (!closed) {
      buf.clear();
      try {
        channel.receive(buf);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      datagrams.incrementAndGet();
      DecodeResult r = PackDecoder.decode(buf.array(), 0, buf.position());
      if (r.error() != null) {
        decodeErrors.incrementAndGet();
      }
      for (Pack p : r.packs()) {
        if (p instanceof TxEndPack || p instanceof TxStartEndPack) {
          ended.incrementAndGet();
        }
      }
    }
  }

  /** Transactions whose end arrived (TX_END, or the one-frame TX_START_END). */
  public long ended() {
    return ended.get();
  }

  public long datagrams() {
    return datagrams.get();
  }

  public long decodeErrors() {
    return decodeErrors.get();
  }

  /** Waits until {@code value} reaches {@code target}; returns the last value seen. */
  public static long awaitAtLeast(LongSupplier value, long target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long v = value.getAsLong();
    while (v < target && System.nanoTime() < deadline) {
      LockSupport.parkNanos(1_000_000L); // poll: the two cores are for the server and the agent
      v = value.getAsLong();
    }
    return v;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    channel.close();
  }
}
