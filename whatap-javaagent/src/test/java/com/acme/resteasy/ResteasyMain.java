package com.acme.resteasy;

import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;

/**
 * A JAX-RS application (RESTEasy 6.2's servlet dispatcher on embedded Jetty 12 ee10) with no WhaTap
 * code: prints its port, then serves.
 */
public final class ResteasyMain {
  private ResteasyMain() { }

  /** The application's resources, named to RESTEasy by the servlet's {@code jakarta.ws.rs.Application} init-param. */
  public static final class Users extends Application {
    @Override
    public Set<Class<?>> getClasses() {
      return Set.of(UsersResource.class);
    }
  }

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    ServletHolder resteasy = new ServletHolder(new HttpServlet30Dispatcher());
    resteasy.setInitParameter("jakarta.ws.rs.Application", Users.class.getName());
    resteasy.setAsyncSupported(true);
    context.addServlet(resteasy, "/*");
    server.setHandler(context);
    server.start();
    System.out.println("PORT " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }
}
