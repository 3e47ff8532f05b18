package io.whatap.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.Transaction;
import io.whatap.Whatap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpClientHandlerTest {
  @Test
  void theQueryTheFragmentAndTheUserInformationNeverReachTheStep() {
    assertThat(HttpClientHandler.stripUrl("http://h:8080/a/b?token=1#frag")).isEqualTo("http://h:8080/a/b");
    assertThat(HttpClientHandler.stripUrl("https://user:pw@h/a?x")).isEqualTo("https://h/a");
    assertThat(HttpClientHandler.stripUrl("http://h/a#f")).isEqualTo("http://h/a");
    assertThat(HttpClientHandler.stripUrl("http://h/p@q")).as("an @ in the path is not user information")
        .isEqualTo("http://h/p@q");
    assertThat(HttpClientHandler.stripUrl("http://h/x?next=http://u:p@i/")).isEqualTo("http://h/x");
    assertThat(HttpClientHandler.stripUrl(null)).isEmpty();
    String clean = "http://h/a";
    assertThat(HttpClientHandler.stripUrl(clean)).isSameAs(clean);
  }

  @Test
  void outsideATransactionNothingStartsAndNoHeaderIsWritten() {
    Map<String, String> headers = new HashMap<>();
    assertThat(HttpClientHandler.start("t", "http://h/", Map::put, headers)).isNull();
    assertThat(headers).isEmpty();
  }

  @Test
  void insideATransactionTheHeadersAreWrittenAndTheCallEndsOnce() {
    Transaction tx = Whatap.startTransaction("/handler-test");
    try {
      Map<String, String> headers = new HashMap<>();
      HttpClientCall call = HttpClientHandler.start("t", "http://h/a?b", Map::put, headers);
      assertThat(call).isNotNull();
      assertThat(call.url()).isEqualTo("http://h/a");
      assertThat(headers).containsKeys("x-wtap-mst", "x-wtap-tx", "x-wtap-inf");
      assertThat(call.calleeTxid()).isNotZero();
      call.end(201, null);
      call.end(500, new IllegalStateException("late"));
      assertThat(call.status()).isEqualTo(201);
      assertThat(call.isEnded()).isTrue();
    } finally {
      tx.end();
    }
  }

  @Test
  void aSetterThatThrowsCostsTheLinkNotTheCall() {
    Transaction tx = Whatap.startTransaction("/handler-test-setter");
    try {
      HttpClientCall call = HttpClientHandler.start("t", "http://h/", (c, n, v) -> {
        throw new UnsupportedOperationException("immutable");
      }, new Object());
      assertThat(call).isNotNull();
      call.end(200, null);
    } finally {
      tx.end();
    }
  }
}
