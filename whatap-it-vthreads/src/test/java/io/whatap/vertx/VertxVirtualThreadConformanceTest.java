package io.whatap.vertx;

import io.whatap.vthreads.VirtualThreads;

/**
 * The whole Vert.x conformance suite of whatap-vertx on Vert.x 5 with the server verticles
 * deployed as virtual-thread verticles: every handler runs on a virtual thread of the verticle's
 * context instead of an event loop.
 */
class VertxVirtualThreadConformanceTest extends VertxConformanceTest {
  private VirtualThreadVertxServer server;

  @Override
  protected String startServer() throws Exception {
    VirtualThreads.requireSupported();
    server = VirtualThreadVertxServer.start(2, this::routes);
    return server.base();
  }

  /** A virtual-thread context runs blocking tasks on virtual threads of its own, not on the worker pool. */
  @Override
  protected String blockingThreadPrefix() {
    return "vert.x-virtual-thread";
  }

  @Override
  protected void stopServer() throws Exception {
    server.close();
  }
}
