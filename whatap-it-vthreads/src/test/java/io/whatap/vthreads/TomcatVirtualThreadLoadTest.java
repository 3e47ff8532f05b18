package io.whatap.vthreads;

import io.whatap.servlet.WhatapFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import loadapp.LoadServlet;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** The load on embedded Tomcat 10.1 with {@link WhatapFilter} and {@code useVirtualThreads=true}. */
class TomcatVirtualThreadLoadTest extends VirtualThreadLoadTest {
  private Tomcat tomcat;

  @Override
  protected String startServer() throws Exception {
    Path base = Files.createDirectories(Path.of("target", "tomcat-load"));
    tomcat = new Tomcat();
    tomcat.setBaseDir(base.toAbsolutePath().toString());
    Connector connector = TomcatVirtualThreads.connector();
    // keep every client connection open for the whole run
    connector.setProperty("maxKeepAliveRequests", "-1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", Files.createDirectories(base.resolve("root")).toAbsolutePath().toString());
    FilterDef filter = new FilterDef();
    filter.setFilterName("whatap");
    filter.setFilter(new WhatapFilter());
    filter.setAsyncSupported("true");
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("whatap");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    Tomcat.addServlet(context, "load", new LoadServlet(counters));
    context.addServletMappingDecoded("/load", "load");
    tomcat.start();
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  @Override
  protected void stopServer() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  @Override
  protected String serverName() {
    return "Tomcat (useVirtualThreads)";
  }
}
