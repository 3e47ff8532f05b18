package io.whatap.agent;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.whatap.agent.export.Exports;
import io.whatap.agent.http.HttpApi;
import io.whatap.agent.ingest.UdpReceiver;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.settings.MemoryPlan;
import java.io.IOException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The local agent: the UDP receiver, the state it feeds, a timer that closes intervals and polls
 * the applications for their active transactions, and the HTTP server (dashboard, API, /metrics).
 * Usable in-process (tests, the demo) as well as through {@link AgentMain}.
 */
public final class LocalAgent implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LocalAgent.class.getName());
  private final AgentSettings settings;
  private final AgentState state;
  private final UdpReceiver receiver;
  private final ScheduledExecutorService timer;
  private final Vertx vertx;
  private final HttpServer server;
  private final Exports exports;

  private final UdpReceiver.FatalHandler onFatal;
  private volatile Throwable fatal;

  private LocalAgent(AgentSettings settings, UdpReceiver.FatalHandler onFatal) throws IOException {
    this.settings = settings;
    this.onFatal = (where, error) -> {
      fatal = error;
      onFatal.fatal(where, error);
    };
    this.state = new AgentState(settings, System::currentTimeMillis);
    this.receiver = new UdpReceiver(settings, state.ingest(), state.backChannelClient(), this.onFatal);
    this.exports = Exports.start(settings, state);
    if (exports.enabled()) {
      state.onCompleted(exports::offer);
    }
    Vertx vx = null;
    HttpServer srv = null;
    ScheduledThreadPoolExecutor t = null;
    try {
      state.backChannel(receiver);
      vx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
          .setInternalBlockingPoolSize(1)
          .setFileSystemOptions(new FileSystemOptions().setFileCachingEnabled(false)
              .setClassPathResolvingEnabled(false)));
      vx.exceptionHandler(error -> {
        if (error instanceof Error e) {
          this.onFatal.fatal("a Vert.x thread (HTTP)", e);
        }
      });
      Router router = Router.router(vx);
      HttpApi api = new HttpApi(state, error -> this.onFatal.fatal("the HTTP API (a Vert.x event loop)", error),
          exports);
      api.mount(router);
      // Idle connections (a slow or stalled client) are closed after agent_http_idle_timeout_sec;
      // requests are small GETs, so the request line and headers are bounded well below Netty's defaults.
      // No HTTP/2 upgrade detection: with it, Vert.x creates the connection (and calls the guard's
      // connection handler, which starts the request deadline) only once the first bytes were read.
      HttpServerOptions options = new HttpServerOptions().setIdleTimeout(settings.httpIdleTimeoutSec)
          .setIdleTimeoutUnit(TimeUnit.SECONDS).setMaxInitialLineLength(4096).setMaxHeaderSize(16 * 1024)
          .setMaxFormAttributeSize(4096).setDecompressionSupported(false).setAcceptBacklog(128)
          .setHttp2ClearTextEnabled(false);
      srv = vx.createHttpServer(options).connectionHandler(api.guard()::connection).requestHandler(router);
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
      state.startStore();
      receiver.start();
    } catch (Exception e) {
      receiver.close();
      exports.close();
      state.closeStore();
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
    return start(settings, (where, error) -> LOG.log(Level.SEVERE, error + " in " + where
        + ": that part of the agent has stopped; close and start the agent again", error));
  }

  /**
   * As {@link #start(AgentSettings)}, with what to do when a thread of the agent meets an {@link Error}:
   * the process ({@link AgentMain}) halts through {@link FatalError}; in-process users log it.
   */
  public static LocalAgent start(AgentSettings settings, UdpReceiver.FatalHandler onFatal) throws IOException {
    settings.validate();
    String memory = new MemoryPlan(settings).check(Runtime.getRuntime().maxMemory());
    if (memory != null) {
      LOG.warning(memory);
    }
    if (!AgentSettings.isLoopback(settings.udpHost)) {
      LOG.warning("net_udp_host=" + settings.udpHost + " is not a loopback address: any host that can reach this"
          + " UDP port can send packs under any application's pid"
          + (settings.udpSecret.isEmpty() ? "; set net_udp_secret (the same value for the applications) so that"
              + " unsigned datagrams are dropped" : "; datagrams not signed with net_udp_secret are dropped"));
    }
    return new LocalAgent(settings, onFatal);
  }

  /** The Error that stopped a part of this agent, or null. */
  public Throwable fatal() {
    return fatal;
  }

  private void tick() {
    try {
      state.closeDueIntervals();
    } catch (Error e) {
      onFatal.fatal("the timer (thread whatap-agent-timer), closing an interval", e);
      throw e; // ends the periodic task: an Error leaves nothing to carry on with
    } catch (RuntimeException e) {
      java.util.logging.Logger.getLogger(LocalAgent.class.getName()).log(java.util.logging.Level.WARNING,
          "closing an interval failed", e);
    }
  }

  private void poll() {
    try {
      state.pollActives();
    } catch (Error e) {
      onFatal.fatal("the timer (thread whatap-agent-timer), polling active transactions", e);
      throw e;
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

  /** The exporters (none when no export_*_endpoint is set). */
  public Exports exports() {
    return exports;
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
    exports.close();
    state.closeStore();
    try {
      server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // shutting down: what did not close in time goes with the process
    }
  }
}
