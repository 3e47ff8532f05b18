package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.awaitNamed;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A Spring Boot MVC application (embedded Tomcat, Jetty or Undertow, executable jar, no WhaTap code) started with
 * {@code java -javaagent:whatap-javaagent.jar -jar}: requests named by the route template Spring
 * MVC matched, a failing handler a 500 with its exception. Each Boot version's test names its jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SpringBootMvcChecks {
  /** Boot's line once its embedded server listens (Tomcat, Jetty or Undertow), with the port. */
  private static final Pattern STARTED = Pattern.compile("(?:Tomcat|Jetty|Undertow) started on port (?:\\(s\\): )?(\\d+)");

  private BootAppRun app;

  /** The name of the run (its work folder) and the system property naming the executable jar. */
  abstract String name();

  abstract String jarProperty();

  @BeforeAll
  void start() throws Exception {
    app = new BootAppRun(name(), System.getProperty(jarProperty()), STARTED);
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void pathsOfOneRouteShareTheRouteTemplateAsName() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = ItSupport.get(app.baseUrl + "/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
    }
    List<ReceivedTx> named = awaitNamed(app.receiver, "/users/{id}", 2, app.home);
    assertThat(named).extracting(ReceivedTx::status).containsExactly(200, 200);
    assertThat(app.receiver.completed()).extracting(ReceivedTx::uri).doesNotContain("/users/alice", "/users/bob");
  }

  @Test
  void aFailingHandlerIsA500WithTheApplicationsException() throws Exception {
    assertThat(ItSupport.get(app.baseUrl + "/boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitNamed(app.receiver, "/boom", 1, app.home).get(0);
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).isNotEmpty().first().satisfies(e ->
        assertThat(e.message()).contains("acme boot failure"));
  }
}
