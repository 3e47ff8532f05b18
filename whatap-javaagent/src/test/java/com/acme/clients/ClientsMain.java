package com.acme.clients;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty 12 application with no WhaTap code that calls out with five HTTP clients
 * (java.net.http, HttpURLConnection, Apache HttpClient 5, OkHttp, Jetty HttpClient 12), built the plain way; its callee
 * is a servlet of the same application. Prints its port, then serves until killed.
 */
public final class ClientsMain {
  private ClientsMain() { }

  public static void main(String[] args) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new CalleeServlet()), "/callee/*");
    ServletHolder calls = new ServletHolder(new CallServlet());
    calls.setAsyncSupported(true);
    context.addServlet(calls, "/call/*");
    context.addServlet(calls, "/async/*");
    server.setHandler(context);
    server.start();
    System.out.println("PORT " + connector.getLocalPort());
    System.out.flush();
    server.join();
  }
}
