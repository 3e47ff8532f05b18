package io.whatap.vthreads;

import org.apache.catalina.connector.Connector;

/** Tomcat's connector on virtual threads, for the Tomcat tests (they run in a fork of their own). */
public final class TomcatVirtualThreads {
  private TomcatVirtualThreads() { }

  /** A loopback connector on a free port that runs each request on a new virtual thread. */
  public static Connector connector() {
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    if (!connector.setProperty("useVirtualThreads", "true")) {
      throw new IllegalStateException("this Tomcat's connector does not know useVirtualThreads");
    }
    return connector;
  }
}
