package io.whatap.servlet;

import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/** The conformance suite on embedded Jetty 12 (ee10). */
class JettyConformanceTest extends ServletConformanceTest {
  private Server server;

  @Override
  protected String startServer() throws Exception {
    server = new Server();
    ServerConnector connector = JettyConformanceTest.connector(server);
    ServletContextHandler main = new ServletContextHandler("/");
    main.addServletContainerInitializer(TestApp.main());
    ErrorPageErrorHandler errorPages = new ErrorPageErrorHandler();
    errorPages.addErrorPage(409, "/error-page");
    errorPages.addErrorPage(IllegalArgumentException.class, "/error-page");
    main.setErrorHandler(errorPages);
    ServletContextHandler plain = new ServletContextHandler("/plain");
    plain.addServletContainerInitializer(TestApp.plain());
    server.setHandler(new ContextHandlerCollection(main, plain));
    server.start();
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  /** A loopback connector on a free port that accepts request headers of 64 KB. */
  static ServerConnector connector(Server server) {
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(64 * 1024);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    return connector;
  }

  @Override
  protected void stopServer() throws Exception {
    server.stop();
  }
}
