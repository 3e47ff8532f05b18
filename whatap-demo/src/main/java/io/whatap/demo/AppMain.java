package io.whatap.demo;

import java.io.IOException;
import java.io.InputStream;

/**
 * A demo app in its own JVM (started by {@link Demo}): {@code AppMain <kind> <appName> <port> [peerUrl]}.
 * The agent reads its options from -Dwhatap.* (app_name, net_udp_port, ...). Prints
 * {@code READY <port>} once serving, and exits when its standard input closes, so that an app never
 * outlives a launcher that was killed without cleaning up.
 */
public final class AppMain {
  static final String READY = "READY ";

  private AppMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: AppMain <kind> <appName> <port> [peerUrl]");
      System.exit(2);
    }
    DemoServer server = DemoApps.server(args[0]);
    DemoDatabase database = DemoDatabase.create(args[1]);
    PeerClient peer = server.peerClient();
    DemoRoutes routes = new DemoRoutes(args[1], args.length > 3 && !args[3].isEmpty() ? args[3] : null,
        database.dataSource(), peer);
    int port = server.start(Integer.parseInt(args[2]), routes);
    System.out.println(READY + port);
    System.out.flush();
    InputStream in = System.in;
    try {
      while (in.read() >= 0) {
        // the launcher never writes: read() only returns at end of stream
      }
    } catch (IOException e) {
      // the pipe broke: the launcher is gone
    }
    server.close();
    peer.close();
    database.close();
    System.exit(0);
  }
}
