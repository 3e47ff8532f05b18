package io.whatap.vthreads;

import io.whatap.vertx.VirtualThreadVertxServer;
import loadapp.LoadRouter;

/** The load on Vert.x 5 with WhatapHandler in two virtual-thread verticles sharing one port. */
class VertxVirtualThreadLoadTest extends VirtualThreadLoadTest {
  private VirtualThreadVertxServer server;

  @Override
  protected String startServer() throws Exception {
    server = VirtualThreadVertxServer.start(2, vertx -> LoadRouter.create(vertx, counters));
    return server.base();
  }

  @Override
  protected void stopServer() throws Exception {
    server.close();
  }

  @Override
  protected String serverName() {
    return "Vert.x 5 (virtual-thread verticles)";
  }
}
