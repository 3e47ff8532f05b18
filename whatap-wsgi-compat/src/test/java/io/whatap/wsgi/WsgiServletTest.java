package io.whatap.wsgi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.Whatap;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The Servlet bridge on Jetty 12: a traced WSGI application mapped under a context and servlet path. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WsgiServletTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** For the web.xml form: a WsgiApp class with a no-argument constructor. */
  public static final class PathApp implements WsgiApp {
    @Override
    public Iterable<?> call(Map<String, Object> environ, StartResponse startResponse) {
      if (environ.get(Environ.PATH_INFO).equals("/fail")) {
        throw new IllegalStateException("servlet-side failure");
      }
      startResponse.accept("200 OK", List.of(Map.entry("Content-Type", "text/plain")));
      if (environ.get(Environ.PATH_INFO).equals("/cut")) {
        return () -> List.<Object>of("first ", "second").stream().map(item -> {
          if (item.equals("second")) {
            throw new IllegalStateException("failed after commit");
          }
          return item;
        }).iterator();
      }
      return List.of(environ.get(Environ.SCRIPT_NAME) + "|" + environ.get(Environ.PATH_INFO) + "|"
          + environ.get(Environ.QUERY_STRING) + "|" + environ.get("HTTP_X_TEST"));
    }
  }

  private UdpTestReceiver receiver;
  private Server server;
  private HttpClient client;
  private String base;

  @BeforeAll
  void start() throws Exception {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    Whatap.configure(options);
    server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/app");
    context.addServlet(new ServletHolder(new WsgiServlet(Whatap.registerApp(WsgiBridgeTest.SIMPLE_APP))), "/simple/*");
    ServletHolder byName = new ServletHolder(WsgiServlet.class);
    byName.setInitParameter("app-class", PathApp.class.getName());
    byName.setInitParameter("trace", "true");
    context.addServlet(byName, "/wsgi/*");
    server.setHandler(context);
    server.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
    receiver.close();
  }

  private HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(WAIT);
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theSeedsSimpleAppRunsAsAServletAndIsTraced() throws Exception {
    HttpResponse<String> r = get("/app/simple");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("Hello world!\n");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(receiver.awaitTransaction("/app/simple", WAIT).status()).isEqualTo(200);
  }

  @Test
  void scriptNameAndPathInfoFollowTheMapping() throws Exception {
    HttpResponse<String> r = get("/app/wsgi/items/7?page=2", "X-Test", "yes");
    assertThat(r.body()).isEqualTo("/app/wsgi|/items/7|page=2|yes");
    assertThat(receiver.awaitTransaction("/app/wsgi/items/{id}", WAIT).status()).isEqualTo(200);
  }

  @Test
  void aFailureAfterCommitCutsTheResponseAndIsRecorded() {
    assertThatThrownBy(() -> get("/app/wsgi/cut")).isInstanceOf(IOException.class);
    ReceivedTx tx = receiver.awaitTransaction("/app/wsgi/cut", WAIT);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.steps(TxErrorPack.class)).anySatisfy(e -> assertThat(e.message()).isEqualTo("failed after commit"));
  }

  @Test
  void aFailureBeforeCommitIsA500AndRecorded() throws Exception {
    assertThat(get("/app/wsgi/fail").statusCode()).isEqualTo(500);
    ReceivedTx tx = receiver.awaitTransaction("/app/wsgi/fail", WAIT);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).anySatisfy(e -> assertThat(e.message()).isEqualTo("servlet-side failure"));
  }
}
