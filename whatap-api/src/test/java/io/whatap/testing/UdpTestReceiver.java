package io.whatap.testing;

import io.whatap.wire.DecodeResult;
import io.whatap.wire.Pack;
import io.whatap.wire.PackDecoder;
import io.whatap.wire.TxEndPack;
import io.whatap.wire.TxHeader;
import io.whatap.wire.TxStartPack;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real local-agent stand-in for tests: a UDP socket on 127.0.0.1 (port 0) that decodes every
 * datagram with {@link PackDecoder} and groups transaction packs by txid, in arrival order.
 * Waiting methods poll with a deadline; none sleeps for a fixed time.
 */
public final class UdpTestReceiver implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final List<Pack> packs = Collections.synchronizedList(new ArrayList<>());
  private final Map<Long, ReceivedTx> transactions = Collections.synchronizedMap(new LinkedHashMap<>());
  private final AtomicInteger datagrams = new AtomicInteger();
  private final AtomicInteger decodeErrors = new AtomicInteger();
  private volatile SocketAddress lastSender;
  private volatile boolean closed;

  public UdpTestReceiver() {
    this(4 * 1024 * 1024);
  }

  public UdpTestReceiver(int receiveBufferBytes) {
    try {
      socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      socket.setReceiveBufferSize(receiveBufferBytes);
    } catch (SocketException e) {
      throw new IllegalStateException(e);
    }
    thread = new Thread(this::loop, "udp-test-receiver");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port());
  }

  /** The options that point the agent at this receiver. */
  public Map<String, String> agentOptions() {
    return Map.of("net_udp_host", "127.0.0.1", "net_udp_port", String.valueOf(port()));
  }

  private void loop() {
    byte[] buf = new byte[65_536];
    while (!closed) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
      } catch (IOException e) {
        if (closed) {
          return;
        }
        continue;
      }
      lastSender = p.getSocketAddress();
      datagrams.incrementAndGet();
      DecodeResult r = PackDecoder.decode(p.getData(), p.getOffset(), p.getLength());
      if (r.error() != null) {
        decodeErrors.incrementAndGet();
      }
      for (Pack pack : r.packs()) {
        accept(pack);
      }
    }
  }

  private void accept(Pack pack) {
    packs.add(pack);
    TxHeader h = header(pack);
    if (h == null) {
      return;
    }
    ReceivedTx tx;
    synchronized (transactions) {
      tx = transactions.computeIfAbsent(h.txid(), ReceivedTx::new);
    }
    tx.add(pack);
  }

  /** The transaction header of a TX_* pack, or null for packs without one. */
  public static TxHeader header(Pack pack) {
    try {
      Method m = pack.getClass().getMethod("header");
      return (TxHeader) m.invoke(pack);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }

  public int datagrams() {
    return datagrams.get();
  }

  public int decodeErrors() {
    return decodeErrors.get();
  }

  /** Where the last datagram came from: the application's socket, for back-channel requests. */
  public SocketAddress lastSender() {
    return lastSender;
  }

  public List<Pack> packs() {
    synchronized (packs) {
      return new ArrayList<>(packs);
    }
  }

  public <T extends Pack> List<T> packs(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (Pack p : packs()) {
      if (type.isInstance(p)) {
        out.add(type.cast(p));
      }
    }
    return out;
  }

  /** Transactions whose TX_END has arrived. */
  public List<ReceivedTx> completed() {
    List<ReceivedTx> out = new ArrayList<>();
    synchronized (transactions) {
      for (ReceivedTx tx : transactions.values()) {
        if (tx.end() != null) {
          out.add(tx);
        }
      }
    }
    return out;
  }

  public void clear() {
    packs.clear();
    transactions.clear();
  }

  /** Waits until a completed transaction matches, or fails with what did arrive. */
  public ReceivedTx awaitTransaction(Predicate<ReceivedTx> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (ReceivedTx tx : completed()) {
        if (match.test(tx)) {
          return tx;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching transaction within " + timeout + "; received: " + summary());
      }
      pause();
    }
  }

  /** Waits for the completed transaction named {@code uri}. */
  public ReceivedTx awaitTransaction(String uri, Duration timeout) {
    return awaitTransaction(tx -> uri.equals(tx.end().uri()), timeout);
  }

  /**
   * Waits until at least {@code count} completed transactions are named {@code uri} and returns
   * them; at the deadline fails with what did arrive and {@code more} (an agent log, say).
   */
  public List<ReceivedTx> awaitNamed(String uri, int count, Duration timeout, Supplier<String> more) {
    return Await.value(count + " transactions named " + uri, timeout, () -> {
      List<ReceivedTx> named = completed().stream().filter(tx -> uri.equals(tx.uri())).toList();
      return named.size() >= count ? named : null;
    }, () -> "received: " + summary() + more.get());
  }

  /** Waits until at least {@code n} transactions completed. */
  public List<ReceivedTx> awaitCompleted(int n, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<ReceivedTx> done = completed();
      if (done.size() >= n) {
        return done;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("expected " + n + " transactions within " + timeout + ", got " + done.size());
      }
      pause();
    }
  }

  /** Waits for a pack of {@code type} matching {@code match}. */
  public <T extends Pack> T awaitPack(Class<T> type, Predicate<T> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (T p : packs(type)) {
        if (match.test(p)) {
          return p;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no matching " + type.getSimpleName() + " within " + timeout);
      }
      pause();
    }
  }

  /** Sends a back-channel request ("paramId,requestId,extra") to {@code to} from this receiver's socket. */
  public void sendText(String text, SocketAddress to) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    try {
      socket.send(new DatagramPacket(b, b.length, to));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String summary() {
    StringBuilder sb = new StringBuilder();
    for (ReceivedTx tx : completed()) {
      sb.append(tx).append("; ");
    }
    return sb.length() == 0 ? "(nothing)" : sb.toString();
  }

  private static void pause() {
    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
  }

  @Override
  public void close() {
    closed = true;
    socket.close();
  }

  /** The packs of one transaction in arrival order. */
  public static final class ReceivedTx {
    private final long txid;
    private final List<Pack> packs = Collections.synchronizedList(new ArrayList<>());
    private volatile TxStartPack start;
    private volatile TxEndPack end;

    ReceivedTx(long txid) {
      this.txid = txid;
    }

    void add(Pack p) {
      packs.add(p);
      if (p instanceof TxStartPack) {
        start = (TxStartPack) p;
      } else if (p instanceof TxEndPack) {
        end = (TxEndPack) p;
      }
    }

    public long txid() {
      return txid;
    }

    public TxStartPack start() {
      return start;
    }

    public TxEndPack end() {
      return end;
    }

    public String uri() {
      return end != null ? end.uri() : start != null ? start.uri() : null;
    }

    public int status() {
      return end == null ? 0 : end.status();
    }

    /** Elapsed as the local agent computes it: TX_END.time − TX_START.time. */
    public long elapsedMs() {
      return start == null || end == null ? -1 : end.header().time() - start.header().time();
    }

    public List<Pack> packs() {
      synchronized (packs) {
        return new ArrayList<>(packs);
      }
    }

    /** The packs between TX_START and TX_END. */
    public List<Pack> steps() {
      List<Pack> out = new ArrayList<>();
      for (Pack p : packs()) {
        if (!(p instanceof TxStartPack) && !(p instanceof TxEndPack)) {
          out.add(p);
        }
      }
      return out;
    }

    public <T extends Pack> List<T> steps(Class<T> type) {
      List<T> out = new ArrayList<>();
      for (Pack p : packs()) {
        if (type.isInstance(p)) {
          out.add(type.cast(p));
        }
      }
      return out;
    }

    @Override
    public String toString() {
      return txid + " " + (start == null ? "?" : start.httpMethod()) + " " + uri() + " " + status()
          + " packs=" + packs.size();
    }
  }
}
