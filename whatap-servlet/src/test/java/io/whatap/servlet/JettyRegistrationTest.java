package io.whatap.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.runtime.Agent;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxMsgPack;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The two registrations the conformance tests do not use (they add the filter through
 * ServletContext.addFilter): a real WEB-INF/web.xml deployed by Jetty's WebAppContext, and the
 * opt-in ServletContainerInitializer. One Jetty server holds both applications.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyRegistrationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private UdpTestReceiver receiver;
  private Server server;
  private String base;
  private final HttpClient client = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put(WhatapInitializer.CONF_KEY, "true");
    Whatap.configure(options);

    server = new Server();
    ServerConnector connector = JettyConformanceTest.connector(server);
    WebAppContext webXml = new WebAppContext();
    webXml.setContextPath("/webxml");
    webXml.setWar(Path.of("src", "test", "webapp").toAbsolutePath().toString());
    webXml.setParentLoaderPriority(true);

    ServletContextHandler auto = new ServletContextHandler("/auto");
    auto.addServletContainerInitializer(new WhatapInitializer());
    // declared by the application itself: the auto-registered filter must run before it
    auto.addFilter(new FilterHolder((Filter) (req, res, chain) -> {
      ((HttpServletResponse) res).setHeader("X-Traced", String.valueOf(Whatap.currentTransaction() != Transaction.NOOP));
      chain.doFilter(req, res);
    }), "/*", EnumSet.of(DispatcherType.REQUEST));
    ServletHolder routes = new ServletHolder(new RouteServlet());
    routes.setAsyncSupported(true);
    auto.addServlet(routes, "/users/*");
    auto.addServlet(routes, "/async");

    server.setHandler(new ContextHandlerCollection(webXml, auto));
    server.start();
    Whatap.configure(Map.of(WhatapInitializer.CONF_KEY, "false"));
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      server.stop();
    } finally {
      receiver.close();
    }
  }

  @BeforeEach
  void clear() {
    receiver.clear();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void webXmlDeclaresTheFilterAndItsInitParamsConfigureTheAgent() throws Exception {
    assertThat(get("/webxml/users/5").body()).isEqualTo("user 5");
    ReceivedTx tx = receiver.awaitTransaction("/users/{id}", WAIT);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(Agent.get().config().appName).as("the filter's init-param").isEqualTo("webxml-app");

    assertThat(get("/webxml/async").body()).isEqualTo("async");
    ReceivedTx async = receiver.awaitTransaction("/async", WAIT);
    assertThat(async.elapsedMs()).isGreaterThanOrEqualTo(40);
    assertThat(async.steps(TxMsgPack.class)).extracting(TxMsgPack::title).contains("async");
  }

  @Test
  void theInitializerAddsTheFilterFirstWhenAutoRegistrationIsOn() throws Exception {
    assertThat(ServiceLoader.load(ServletContainerInitializer.class))
        .as("META-INF/services announces it to containers").anyMatch(i -> i instanceof WhatapInitializer);

    HttpResponse<String> r = get("/auto/users/9");
    assertThat(r.body()).isEqualTo("user 9");
    assertThat(r.headers().firstValue("X-Traced")).as("the application's own filter runs inside the transaction")
        .hasValue("true");
    assertThat(receiver.awaitTransaction("/users/{id}", WAIT).status()).isEqualTo(200);

    assertThat(get("/auto/async").body()).as("registered with async support").isEqualTo("async");
    assertThat(receiver.awaitTransaction("/async", WAIT).elapsedMs()).isGreaterThanOrEqualTo(40);
  }
}
