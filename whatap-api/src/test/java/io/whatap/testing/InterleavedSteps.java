package io.whatap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxMsgPack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The interleaving check every async adapter runs: {@code requests} concurrent
 * {@code GET /step?id=N} whose handler records a message "start" (value N, description the
 * serving thread's name), hops to another thread, records a message "step" (value N) and answers
 * N. Every step must land in its own request's transaction.
 */
public final class InterleavedSteps {
  private InterleavedSteps() { }

  /** Runs the check and returns the names of the threads that served the requests. */
  public static Set<String> assertEachStepInItsOwnTransaction(String base, int requests, UdpTestReceiver receiver,
      Duration wait) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/step?id=" + i)).timeout(wait).build();
      responses.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    for (int i = 0; i < requests; i++) {
      assertThat(responses.get(i).get().body()).isEqualTo(String.valueOf(i));
    }
    List<ReceivedTx> done = receiver.awaitCompleted(requests, wait);
    assertThat(done).hasSize(requests);
    Set<String> ids = new HashSet<>();
    Set<String> threads = new HashSet<>();
    for (ReceivedTx tx : done) {
      List<TxMsgPack> messages = tx.steps(TxMsgPack.class);
      TxMsgPack start = only(messages, "start", tx);
      TxMsgPack step = only(messages, "step", tx);
      assertThat(step.value()).as("the step of %s", tx).isEqualTo(start.value());
      ids.add(start.value());
      threads.add(start.description());
    }
    assertThat(ids).containsExactlyInAnyOrderElementsOf(
        IntStream.range(0, requests).mapToObj(String::valueOf).collect(Collectors.toList()));
    return threads;
  }

  private static TxMsgPack only(List<TxMsgPack> messages, String title, ReceivedTx tx) {
    List<TxMsgPack> found = messages.stream().filter(m -> m.title().equals(title)).collect(Collectors.toList());
    assertThat(found).as("%s messages of %s", title, tx).hasSize(1);
    return found.get(0);
  }
}
