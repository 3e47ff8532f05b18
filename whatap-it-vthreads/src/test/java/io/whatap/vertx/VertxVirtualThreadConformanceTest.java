package io.whatap.vertx;

import io.vertx.ext.web.RoutingContext;
import loadapp.VirtualThreads;

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

  /**
   * Waits with {@code Future.await()} on the request's virtual thread, as a virtual-thread
   * verticle does: the transaction then has a thread whose stack the back channel can show. (With
   * the timer callback of the event-loop version the request is on no thread while it waits, and
   * the active stack is empty: see README.)
   */
  @Override
  protected void slow(RoutingContext rc, long ms) {
    rc.vertx().timer(ms).await();
    rc.response().end("slow");
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
