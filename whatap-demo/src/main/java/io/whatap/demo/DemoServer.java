package io.whatap.demo;

/**
 * One demo app's server: serves {@link DemoRoutes} on a port, traced the way its framework is
 * traced in real applications. Runs alone in its JVM (see {@link AppMain}), since the agent is
 * one per JVM and each app must report as its own process.
 */
public interface DemoServer extends AutoCloseable {
  /** Starts serving {@code routes} on 127.0.0.1:{@code port} (0: any free port); returns the port. */
  int start(int port, DemoRoutes routes) throws Exception;

  /**
   * The traced HTTP client this app's /checkout calls its peer with, created before {@link #start}:
   * {@code java.net.http} through {@code Whatap.httpClient} unless the framework has its own.
   */
  default PeerClient peerClient() {
    return PeerClient.jdk();
  }

  /** What the dashboard and the launcher call this server ("JDK HttpServer + HttpServerHandler", ...). */
  String description();

  @Override
  void close();
}
