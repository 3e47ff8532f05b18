package io.whatap.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Whatap;
import io.whatap.testing.HttpServerConformanceTest;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMsgPack;
import jakarta.servlet.Servlet;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shared conformance suite plus what only servlet containers have: other dispatcher types,
 * async dispatches and AsyncContext.start, and Whatap.registerApp on a Servlet. A container's
 * test serves {@link TestApp#main()} at "/" (with an error page "/error-page" for status 409 and
 * for IllegalArgumentException) and {@link TestApp#plain()} at "/plain".
 */
abstract class ServletConformanceTest extends HttpServerConformanceTest {

  @Override
  protected int asyncTimeoutMs() {
    return RouteServlet.ASYNC_TIMEOUT_MS;
  }

  /** Names of every transaction completed so far, once a later request's transaction has arrived. */
  private List<String> namesAfterSentinel() throws Exception {
    assertThat(get("/sentinel").statusCode()).isEqualTo(204);
    tx("/sentinel"); // transactions are sent in the order they end: everything before it is in
    return receiver.completed().stream().map(ReceivedTx::uri).collect(Collectors.toList());
  }

  /** Titles of the messages the application recorded (the captured headers are a message too). */
  private static List<String> messages(ReceivedTx tx) {
    return tx.steps(TxMsgPack.class).stream().map(TxMsgPack::title).filter(t -> !t.equals("HTTP-HEADERS"))
        .collect(Collectors.toList());
  }

  @Test
  void errorDispatchToAnErrorPageIsNotASecondTransaction() throws Exception {
    HttpResponse<String> conflict = get("/conflict");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.body()).as("the error page served the response").isEqualTo("error page");
    assertThat(tx("/conflict").status()).isEqualTo(409);

    HttpResponse<String> thrown = get("/bad-argument");
    assertThat(thrown.statusCode()).isEqualTo(500);
    assertThat(thrown.body()).isEqualTo("error page");
    ReceivedTx bad = tx("/bad-argument");
    assertThat(bad.status()).isEqualTo(500);
    assertThat(bad.steps(TxErrorPack.class)).singleElement()
        .satisfies(e -> assertThat(e.errorClass()).isEqualTo("java.lang.IllegalArgumentException"));

    assertThat(namesAfterSentinel()).containsExactly("/conflict", "/bad-argument", "/sentinel");
  }

  @Test
  void springMvcsMatchedPatternNamesTheTransaction() throws Exception {
    assertThat(get("/mvc-users/alice").body()).isEqualTo("user alice");
    assertThat(get("/mvc-users/bob").body()).isEqualTo("user bob");
    assertThat(namesAfterSentinel()).containsExactly("/mvc-users/{id}", "/mvc-users/{id}", "/sentinel");
  }

  @Test
  void forwardAndIncludeAreNotSecondTransactions() throws Exception {
    assertThat(get("/forward").body()).isEqualTo("hello");
    assertThat(tx("/forward").status()).isEqualTo(200);
    assertThat(get("/include").body()).isEqualTo("hello");
    assertThat(tx("/include").status()).isEqualTo(200);
    assertThat(namesAfterSentinel()).containsExactly("/forward", "/include", "/sentinel");
  }

  @Test
  void asyncContextStartSeesTheTransaction() throws Exception {
    HttpResponse<String> r = get("/async-start");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("async-start");
    ReceivedTx tx = tx("/async-start");
    assertThat(tx.status()).isEqualTo(200);
    // The work runs on a pool thread: another one, or this one after the dispatch returned and the
    // filter took the transaction off it. Either way only the AsyncContext can have brought it.
    assertThat(messages(tx)).containsExactly("async-start");
  }

  @Test
  void anAsyncDispatchContinuesTheTransactionAcrossAsyncCycles() throws Exception {
    HttpResponse<String> r = get("/async-dispatch");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("dispatched");
    ReceivedTx tx = tx("/async-dispatch");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(messages(tx)).as("the ASYNC dispatch and the work started in the second cycle are in the transaction")
        .containsExactly("dispatched", "second cycle");
    assertThat(namesAfterSentinel()).containsExactly("/async-dispatch", "/sentinel");
  }

  @Test
  void aSecondAsyncCycleStartedOnTheUnwrappedRequestStillEndsTheTransaction() throws Exception {
    HttpResponse<String> r = get("/async-dispatch-unwrapped");
    assertThat(r.body()).isEqualTo("second cycle unwrapped");
    ReceivedTx tx = tx("/async-dispatch-unwrapped");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.elapsedMs()).isGreaterThanOrEqualTo(40);
    assertThat(messages(tx)).containsExactly("async");
  }

  @Test
  void anExceptionInAnAsyncDispatchIsTheTransactionsError() throws Exception {
    assertThat(get("/async-dispatch-boom").statusCode()).isEqualTo(500);
    ReceivedTx tx = tx("/async-dispatch-boom");
    assertThat(tx.status()).isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("java.lang.IllegalStateException");
      assertThat(e.message()).isEqualTo("async boom");
    });
    assertThat(namesAfterSentinel()).containsExactly("/async-dispatch-boom", "/sentinel");
  }

  @Test
  void asyncStartedOnTheUnwrappedRequestStillEndsWhenItCompletes() throws Exception {
    HttpResponse<String> r = get("/async-unwrapped");
    assertThat(r.body()).isEqualTo("unwrapped");
    ReceivedTx tx = tx("/async-unwrapped");
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.elapsedMs()).isGreaterThanOrEqualTo(40);
    assertThat(messages(tx)).containsExactly("async");
  }

  @Test
  void registerAppTracesAServletWithoutTheFilter() throws Exception {
    assertThat(get("/plain/registered").body()).isEqualTo("hello");
    assertThat(tx("/registered").status()).isEqualTo(200);

    assertThat(get("/plain/async-start").body()).isEqualTo("async-start");
    ReceivedTx async = tx("/async-start");
    assertThat(messages(async)).containsExactly("async-start");
  }

  @Test
  void aServletWrappedTwiceBehindTheFilterIsTracedOnce() throws Exception {
    Servlet traced = Whatap.registerApp((Servlet) new RouteServlet());
    assertThat(Whatap.registerApp(traced)).isSameAs(traced);

    assertThat(get("/traced-twice").body()).isEqualTo("hello");
    assertThat(tx("/traced-twice").status()).isEqualTo(200);
    assertThat(namesAfterSentinel()).containsExactly("/traced-twice", "/sentinel");
  }
}
