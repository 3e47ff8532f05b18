package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * What every servlet container must show with only {@code -javaagent} on its command line and an
 * application without WhaTap code (com.acme.web): one transaction per request through an
 * application filter and a servlet, status, names, errors, async completion, and none of the
 * agent's classes visible to the application. A subclass starts the container once for all checks.
 */
abstract class ServletContainerChecks {
  /** The receiver the container's agent sends to. */
  abstract UdpTestReceiver receiver();

  /** The base URL of the application, without a trailing slash. */
  abstract String baseUrl();

  /** The agent's home in the container's JVM (for its log in failure messages). */
  abstract Path agentHome();

  @Test
  void eachRequestIsOneTransactionNamedByItsPath() throws Exception {
    for (String user : new String[] {"alice", "bob"}) {
      HttpResponse<String> response = ItSupport.get(baseUrl() + "/users/" + user);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("user " + user);
      ReceivedTx tx = awaitTx("/users/" + user);
      assertThat(tx.status()).isEqualTo(200);
      assertThat(tx.steps(TxErrorPack.class)).isEmpty();
    }
    // a filter and a servlet are both hooked; the second wave of packs would have come with the first
    ItSupport.get(baseUrl() + "/isolation");
    awaitTx("/isolation");
    assertThat(receiver().completed()).filteredOn(tx -> tx.uri().equals("/users/alice")).hasSize(1);
  }

  @Test
  void aThrowingServletIsA500WithItsError() throws Exception {
    HttpResponse<String> response = ItSupport.get(baseUrl() + "/fail");
    assertThat(response.statusCode()).isEqualTo(500);
    ReceivedTx tx = awaitTx("/fail");
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("jakarta.servlet.ServletException");
      assertThat(e.message()).isEqualTo("acme failure");
    });
  }

  @Test
  void anAsyncRequestEndsWhenItCompletesWithTheStatusItCompletedWith() throws Exception {
    HttpResponse<String> response = ItSupport.get(baseUrl() + "/async");
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("async done");
    ReceivedTx tx = awaitTx("/async");
    assertThat(tx.status()).as("read when the async request completed, not when its first dispatch returned")
        .isEqualTo(202);
  }

  @Test
  void theAgentsClassesAreInvisibleToTheApplication() throws Exception {
    HttpResponse<String> response = ItSupport.get(baseUrl() + "/isolation");
    assertThat(response.body()).isEqualTo("isolated");
  }

  private ReceivedTx awaitTx(String uri) throws Exception {
    try {
      return receiver().awaitTransaction(uri, WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ItSupport.agentLog(agentHome()), e);
    }
  }
}
