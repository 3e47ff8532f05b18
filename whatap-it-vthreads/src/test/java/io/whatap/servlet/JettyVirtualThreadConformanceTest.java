package io.whatap.servlet;

import loadapp.VirtualThreads;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

/**
 * The whole servlet conformance suite of whatap-servlet on Jetty 12 whose every thread is a
 * virtual one ({@link VirtualThreadPool}): each request runs on a virtual thread of its own.
 */
class JettyVirtualThreadConformanceTest extends ServletConformanceTest {
  private Server server;

  @Override
  protected String startServer() throws Exception {
    VirtualThreads.requireSupported();
    server = new Server(new VirtualThreadPool());
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

  @Override
  protected void stopServer() throws Exception {
    server.stop();
  }
}
