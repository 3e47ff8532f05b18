package io.whatap.bench;

import io.whatap.wire.DecodeResult;
import io.whatap.wire.Pack;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.PackType;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TxEndPack;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A UDP receiver on loopback (port 0) that stands in for the local agent in benchmarks: one
 * thread reads every datagram so the socket never fills, and counts datagrams, bytes and
 * frames by walking the frame headers ({@code [type][version][length]}) without decoding
 * bodies. Counting is cheap enough that the sink is never the bottleneck it measures.
 */
public final class LoopbackSink implements AutoCloseable {
  private final DatagramChannel channel;
  private final Thread thread;
  private final AtomicLong datagrams = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong txEnds = new AtomicLong();
  private final AtomicLong relays = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final boolean decode;
  private volatile boolean closed;
  private volatile long lastReceiveNanos = System.nanoTime();

  public LoopbackSink(int receiveBufferBytes) throws IOException {
    this(receiveBufferBytes, false);
  }

  /**
   * With {@code decode} every datagram is also decoded with {@link PackDecoder}, as a local
   * agent would, so the sink costs what a real receiver costs.
   */
  public LoopbackSink(int receiveBufferBytes, boolean decode) throws IOException {
    this.decode = decode;
    channel = DatagramChannel.open();
    channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
    channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = new Thread(this::loop, "loopback-sink");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return ((InetSocketAddress) localAddress()).getPort();
  }

  private java.net.SocketAddress localAddress() {
    try {
      return channel.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The receive buffer the kernel granted (Linux doubles the request, capped by rmem_max). */
  public int receiveBufferBytes() {
    try {
      return channel.getOption(StandardSocketOptions.SO_RCVBUF);
    } catch (IOException e) {
      return -1;
    }
  }

  private void loop() {
    ByteBuffer buf = decode ? ByteBuffer.allocate(65_536) : ByteBuffer.allocateDirect(65_536);
    while (!closed) {
      buf.clear();
      try {
        channel.receive(buf);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        continue;
      }
      buf.flip();
      lastReceiveNanos = System.nanoTime();
      datagrams.incrementAndGet();
      bytes.addAndGet(buf.remaining());
      if (decode) {
        countDecoded(PackDecoder.decode(buf.array(), 0, buf.limit()));
      } else {
        countFrames(buf);
      }
    }
  }

  private void countDecoded(DecodeResult r) {
    if (!r.ok()) {
      malformed.incrementAndGet();
    }
    frames.addAndGet(r.framesRead());
    for (Pack p : r.packs()) {
      if (p instanceof TxEndPack) {
        txEnds.incrementAndGet();
      } else if (p instanceof RelayPack) {
        relays.incrementAndGet();
      }
    }
  }

  /** Waits until nothing has arrived for {@code quietMs} (or {@code timeoutMs} passed). */
  public void awaitQuiet(long quietMs, long timeoutMs) {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (System.nanoTime() < deadline && System.nanoTime() - lastReceiveNanos < quietMs * 1_000_000L) {
      LockSupport.parkNanos(5_000_000L);
    }
  }

  private void countFrames(ByteBuffer buf) {
    int p = buf.position();
    int end = buf.limit();
    long f = 0;
    long ends = 0;
    long relay = 0;
    while (p < end) {
      if (end - p < 9) {
        malformed.incrementAndGet();
        break;
      }
      int type = buf.get(p) & 0xff;
      int length = buf.getInt(p + 5);
      if (length < 0 || length > end - p - 9) {
        malformed.incrementAndGet();
        break;
      }
      f++;
      if (type == PackType.TX_END) {
        ends++;
      } else if (type == PackType.RELAY_PACK) {
        relay++;
      }
      p += 9 + length;
    }
    frames.addAndGet(f);
    txEnds.addAndGet(ends);
    relays.addAndGet(relay);
  }

  public long datagrams() {
    return datagrams.get();
  }

  public long bytes() {
    return bytes.get();
  }

  public long frames() {
    return frames.get();
  }

  public long txEnds() {
    return txEnds.get();
  }

  public long relays() {
    return relays.get();
  }

  public long malformed() {
    return malformed.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing for good
    }
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
