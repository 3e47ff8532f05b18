package io.whatap.agent.ingest;

import io.whatap.agent.backchannel.BackChannelClient;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.TextMemo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The UDP socket the applications send to. One thread receives into a single buffer one byte
 * larger than agent_udp_max_bytes (so that a larger datagram is seen as oversized rather than
 * silently cut) and hands each datagram to {@link DatagramIngest#accept}. Back-channel requests leave
 * from this same socket: an application believes only datagrams from its net_udp_host:net_udp_port.
 */
public final class UdpReceiver implements BackChannelClient.Transport, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(UdpReceiver.class.getName());

  private final DatagramChannel channel;
  private final DatagramIngest ingest;
  private final BackChannelClient backChannel;
  private final Thread thread;
  private final int bufferBytes;
  private final FatalHandler onFatal;
  private volatile boolean closed;

  /** Told of an {@link Error} in the receiver's thread (which then stops). */
  public interface FatalHandler {
    void fatal(String where, Throwable error);
  }

  public UdpReceiver(AgentSettings s, DatagramIngest ingest, BackChannelClient backChannel, FatalHandler onFatal)
      throws IOException {
    this.onFatal = onFatal;
    this.ingest = ingest;
    this.backChannel = backChannel;
    this.bufferBytes = s.udpMaxBytes + 1;
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, s.udpReceiveBufferBytes);
      ch.bind(new InetSocketAddress(s.udpHost, s.udpPort));
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw new IOException("cannot listen for UDP on " + s.udpHost + ":" + s.udpPort + " (net_udp_host/"
          + "net_udp_port): " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
    }
    this.channel = ch;
    this.thread = new Thread(this::run, "whatap-agent-udp");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  public int port() {
    return ((InetSocketAddress) localAddress()).getPort();
  }

  public SocketAddress localAddress() {
    try {
      return channel.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void run() {
    ByteBuffer buf = ByteBuffer.allocate(bufferBytes);
    TextMemo memo = new TextMemo();
    while (!closed) {
      try {
        buf.clear();
        SocketAddress from = channel.receive(buf);
        ingest.accept(buf.array(), 0, buf.position(), (InetSocketAddress) from, memo);
      } catch (ClosedChannelException e) {
        return;
      } catch (Error e) {
        // after an OutOfMemoryError (or any Error) nothing here can be trusted: the process ends
        onFatal.fatal("the UDP receiver (thread whatap-agent-udp)", e);
        return;
      } catch (Exception e) {
        // a receive error (or a bug in applying one datagram) costs that datagram, not the receiver
        ingest.receiveErrors.increment();
        if (ingest.receiveErrors.sum() == 1) {
          LOG.log(Level.WARNING, "receiving a datagram failed; counting further failures", e);
        }
      }
    }
  }

  @Override
  public void send(String request, InetSocketAddress to) {
    try {
      channel.send(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)), to);
    } catch (IOException | RuntimeException e) {
      backChannel.sendErrors.increment();
    }
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
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
