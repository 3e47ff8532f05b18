package io.whatap.undertow;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import java.net.InetSocketAddress;

/** An Undertow server for tests on a free loopback port. */
final class UndertowTestServer implements AutoCloseable {
  private final Undertow undertow;
  final int port;

  private UndertowTestServer(Undertow undertow, int port) {
    this.undertow = undertow;
    this.port = port;
  }

  static UndertowTestServer start(int ioThreads, HttpHandler root) {
    Undertow undertow = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(ioThreads)
        .setWorkerThreads(8).setHandler(root).build();
    undertow.start();
    int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    return new UndertowTestServer(undertow, port);
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    undertow.stop();
  }
}
