package io.whatap.agent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.whatap.agent.http.HttpApi;
import io.whatap.agent.ingest.UdpReceiver;
import io.whatap.agent.settings.AgentSettings;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The local agent: the UDP receiver, the state it feeds, a timer that closes intervals and polls
 * the applications for their active transactions, and the HTTP server (dashboard, API, /metrics).
 * Usable in-process (tests, the demo) as well as through {@link AgentMain}.
 */
public final class LocalAgent implements AutoCloseable {
  private final AgentSettings settings;
  private final AgentState state;
  private final UdpReceiver receiver;
  private final ScheduledExecutorService timer;
  private final Vertx vertx;
  private final HttpServer server;

  private LocalAgent(AgentSettings settings) throws IOException {
    this.settings = settings;
    this.state = new AgentState(settings, System::currentTimeMillis);
    this.receiver = new UdpReceiver(settings, state.ingest(), state.backChannelClient());
    Vertx vx = null;
    HttpServer srv = null;
    ScheduledThreadPoolExecutor t = null;
    try {
      state.backChannel(receiver);
      vx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
          .setInternalBlockingPoolSize(1)
          .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
              .setClassPathResolvingEnabled(false)));
      Router router = Router.router(vx);
      new HttpApi(state).mount(router);
      srv = vx.createHttpServer().requestHandler(router);
      srv.listen(settings.httpPort, settings.httpHost).toCompletionStage().toCompletableFuture()
          .get(15, TimeUnit.SECONDS);
      t = new ScheduledThreadPoolExecutor(1, r -> {
        Thread th = new Thread(r, "whatap-agent-timer");
        th.setDaemon(true);
        return th;
      });
      t.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
      if (settings.activePollMs > 0) {
        t.scheduleWithFixedDelay(this::poll, settings.activePollMs, settings.activePollMs, TimeUnit.MILLISECONDS);
      }
      receiver.start();
    } catch (Exception e) {
      receiver.close();
      if (t != null) {
        t.shutdownNow();
      }
      if (vx != null) {
        vx.close();
      }
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException("cannot serve HTTP on " + settings.httpHost + ":" + settings.httpPort
          + " (agent_http_host/agent_http_port): " + (cause.getMessage() == null ? cause : cause.getMessage()), e);
    }
    this.vertx = vx;
    this.server = srv;
    this.timer = t;
  }

  /**
   * Starts an agent with these settings.
   *
   * @throws IllegalArgumentException when the settings are refused (see {@link AgentSettings#validate()})
   * @throws IOException when a port cannot be bound
   */
  public static LocalAgent start(AgentSettings settings) throws IOException {
    settings.validate();
    return new LocalAgent(settings);
  }

  private void tick() {
    try {
      state.closeDueIntervals();
    } catch (RuntimeException e) {
      java.util.logging.Logger.getLogger(LocalAgent.class.getName()).log(java.util.logging.Level.WARNING,
          "closing an interval failed", e);
    }
  }

  private void poll() {
    try {
      state.pollActives();
    } catch (RuntimeException e) {
      java.util.logging.Logger.getLogger(LocalAgent.class.getName()).log(java.util.logging.Level.WARNING,
          "polling active transactions failed", e);
    }
  }

  public AgentSettings settings() {
    return settings;
  }

  public AgentState state() {
    return state;
  }

  public int udpPort() {
    return receiver.port();
  }

  public int httpPort() {
    return server.actualPort();
  }

  /** The dashboard's URL (without the token, which is never printed). */
  public String dashboardUrl() {
    String host = settings.httpHost.contains(":") ? "[" + settings.httpHost + "]" : settings.httpHost;
    if (host.equals("0.0.0.0") || host.equals("[::]")) {
      host = "127.0.0.1";
    }
    return "http://" + host + ":" + httpPort() + "/";
  }

  @Override
  public void close() {
    timer.shutdownNow();
    receiver.close();
    try {
      server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // shutting down: what did not close in time goes with the process
    }
  }
}
