package io.whatap.vthreads;

import io.whatap.servlet.WhatapFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import loadapp.LoadServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/** The load on Jetty 12 with {@link WhatapFilter}, every thread virtual ({@link VirtualThreadPool}). */
class JettyVirtualThreadLoadTest extends VirtualThreadLoadTest {
  private Server server;

  @Override
  protected String startServer() throws Exception {
    server = new Server(new VirtualThreadPool());
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addFilter(new FilterHolder(new WhatapFilter()), "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    context.addServlet(new ServletHolder(new LoadServlet(counters)), "/load");
    server.setHandler(context);
    server.start();
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    server.stop();
  }

  @Override
  protected String serverName() {
    return "Jetty (VirtualThreadPool)";
  }
}
