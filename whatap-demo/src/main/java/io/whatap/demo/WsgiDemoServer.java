package io.whatap.demo;

import io.whatap.Whatap;
import io.whatap.wsgi.Environ;
import io.whatap.wsgi.WsgiApp;
import io.whatap.wsgi.WsgiHttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The seed's own style: a WSGI application ({@code environ}, {@code start_response}) traced with
 * {@code Whatap.registerApp(app)} and served by {@link WsgiHttpServer}, Java's
 * {@code make_server(host, port, app)}.
 */
public final class WsgiDemoServer implements DemoServer {
  private WsgiHttpServer server;

  @Override
  public int start(int port, DemoRoutes routes) throws Exception {
    WsgiApp app = (environ, startResponse) -> {
      DemoRoutes.Reply reply = routes.handle((String) environ.get(Environ.REQUEST_METHOD),
          (String) environ.get(Environ.PATH_INFO));
      startResponse.accept(statusLine(reply.status()), List.of(Map.entry("Content-Type", reply.contentType())));
      return List.of(reply.body());
    };
    server = WsgiHttpServer.serve(Whatap.registerApp(app), new InetSocketAddress("127.0.0.1", port));
    return server.port();
  }

  /** WSGI's status line for the statuses DemoRoutes answers; a bare code is valid too. */
  private static String statusLine(int status) {
    switch (status) {
      case 200: return "200 OK";
      case 404: return "404 Not Found";
      case 405: return "405 Method Not Allowed";
      case 502: return "502 Bad Gateway";
      case 503: return "503 Service Unavailable";
      default: return String.valueOf(status);
    }
  }

  @Override
  public String description() {
    return "WSGI-style app (environ, start_response) + Whatap.registerApp, on WsgiHttpServer";
  }

  @Override
  public void close() {
    if (server != null) {
      server.close();
    }
  }
}
