package io.whatap.demo;

import io.whatap.servlet.WhatapFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Embedded Jetty 12 (ee10) with {@link WhatapFilter} in front of a servlet, registered as a servlet
 * application would: first, on {@code /*}, for REQUEST and ASYNC dispatches.
 */
public final class JettyDemoServer implements DemoServer {
  private Server server;

  @Override
  public int start(int port, DemoRoutes routes) throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    FilterHolder whatap = new FilterHolder(new WhatapFilter());
    whatap.setAsyncSupported(true);
    context.addFilter(whatap, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    context.addServlet(new ServletHolder(new RoutesServlet(routes)), "/*");
    server.setHandler(context);
    server.start();
    return connector.getLocalPort();
  }

  /** Serves {@link DemoRoutes}; the application's failures leave as ServletException, for the filter to see. */
  private static final class RoutesServlet extends HttpServlet {
    private final transient DemoRoutes routes;

    RoutesServlet(DemoRoutes routes) {
      this.routes = routes;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws ServletException, IOException {
      DemoRoutes.Reply reply;
      try {
        reply = routes.handle(req.getMethod(), req.getRequestURI());
      } catch (IOException | ServletException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ServletException(e);
      }
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      resp.setStatus(reply.status());
      resp.setContentType(reply.contentType());
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  @Override
  public String description() {
    return "Jetty 12 + WhatapFilter (servlet filter)";
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.stop();
      } catch (Exception e) {
        // the JVM exits right after: nothing left to release
      }
    }
  }
}
