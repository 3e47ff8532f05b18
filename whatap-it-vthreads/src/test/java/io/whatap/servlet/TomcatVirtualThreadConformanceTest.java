package io.whatap.servlet;

import io.whatap.vthreads.TomcatVirtualThreads;
import loadapp.VirtualThreads;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.ErrorPage;

/**
 * The whole servlet conformance suite of whatap-servlet on embedded Tomcat 10.1 with
 * {@code useVirtualThreads=true}: the connector runs each request on a new virtual thread.
 */
class TomcatVirtualThreadConformanceTest extends ServletConformanceTest {
  private Tomcat tomcat;

  @Override
  protected String startServer() throws Exception {
    VirtualThreads.requireSupported();
    Path base = Files.createDirectories(Path.of("target", "tomcat-conformance"));
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toAbsolutePath().toString());
    Connector connector = TomcatVirtualThreads.connector();
    connector.setProperty("maxHttpHeaderSize", String.valueOf(64 * 1024));
    tomcat.setConnector(connector);

    Context main = tomcat.addContext("", Files.createDirectories(base.resolve("main")).toAbsolutePath().toString());
    main.addServletContainerInitializer(TestApp.main(), null);
    Tomcat.addServlet(main, "default", new DefaultServlet());
    main.addServletMappingDecoded("/", "default");
    main.addErrorPage(errorPage(409, null));
    main.addErrorPage(errorPage(0, IllegalArgumentException.class));

    Context plain = tomcat.addContext("/plain", Files.createDirectories(base.resolve("plain")).toAbsolutePath().toString());
    plain.addServletContainerInitializer(TestApp.plain(), null);
    tomcat.start();
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  private static ErrorPage errorPage(int status, Class<? extends Throwable> exception) {
    ErrorPage page = new ErrorPage();
    if (exception != null) {
      page.setExceptionType(exception.getName());
    } else {
      page.setErrorCode(status);
    }
    page.setLocation("/error-page");
    return page;
  }

  @Override
  protected void stopServer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }
}
