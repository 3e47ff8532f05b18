package com.acme.web;

import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** An embedded Jetty 12 (ee10) application with no WhaTap code: prints its port, then serves until killed. */
public final class JettyMain {
  private JettyMain() { }

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    FilterHolder filter = new FilterHolder(PassFilter.class);
    filter.setAsyncSupported(true);
    context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    context.addServlet(holder(UsersServlet.class), "/users/*");
    context.addServlet(holder(FailServlet.class), "/fail");
    context.addServlet(holder(AsyncServlet.class), "/async");
    context.addServlet(holder(IsolationServlet.class), "/isolation");
    server.setHandler(context);
    server.start();
    System.out.println("PORT " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }

  private static ServletHolder holder(Class<? extends jakarta.servlet.Servlet> type) {
    ServletHolder holder = new ServletHolder(type);
    holder.setAsyncSupported(true);
    return holder;
  }
}
