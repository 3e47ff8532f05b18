package io.whatap.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.agent.backchannel.ThreadDumps;
import io.whatap.wire.TxParamPack;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the agent puts a dump's parts together: only parts of a request it made, from the address it
 * asked, in any order; by the deadline what arrived is answered with the missing parts marked.
 */
class ThreadDumpsTest {
  private final List<String> sent = new ArrayList<>();
  private final InetSocketAddress app = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40001);
  private final InetSocketAddress other = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40002);

  private String requestId() {
    return sent.get(sent.size() - 1).split(",", 3)[1];
  }

  @Test
  void partsComeTogetherInAnyOrderAndForeignOnesAreIgnored() throws Exception {
    ThreadDumps dumps = new ThreadDumps((text, to) -> sent.add(text), 0);
    ThreadDumps.Ask ask = dumps.ask(7, app, "threads=5", 1000, 5000);
    assertThat(sent).singleElement().asString().startsWith("7003,").endsWith(",threads=5");
    String id = requestId();
    dumps.part(new TxParamPack("7003", id, "2/2\nworld"), app);
    dumps.part(new TxParamPack("7003", id, "1/2\nforged "), other);
    dumps.part(new TxParamPack("7003", "td999", "1/2\nunasked "), app);
    dumps.part(new TxParamPack("7003", id, "3/2\nout of range"), app);
    assertThat(ask.answer()).isNotDone();
    dumps.part(new TxParamPack("7003", id, "1/2\nhello "), app);
    ThreadDumps.Dump d = ask.answer().get(1, TimeUnit.SECONDS);
    assertThat(d.text()).isEqualTo("hello world");
    assertThat(d.complete()).isTrue();
    assertThat(dumps.partsIgnored.sum()).isEqualTo(3);
    assertThat(dumps.answered.sum()).isEqualTo(1);
    assertThat(dumps.pendingCount()).isZero();
  }

  @Test
  void atTheDeadlineWhatArrivedIsAnsweredIncompleteAndNothingIsATimeout() throws Exception {
    ThreadDumps dumps = new ThreadDumps((text, to) -> sent.add(text), 0);
    ThreadDumps.Ask partial = dumps.ask(7, app, "", 1000, 200);
    dumps.part(new TxParamPack("7003", requestId(), "1/3\nfirst\n"), app);
    ThreadDumps.Ask silent = dumps.ask(8, app, "", 1000, 200);
    ThreadDumps.Dump d = partial.answer().get(5, TimeUnit.SECONDS);
    assertThat(d.complete()).isFalse();
    assertThat(d.text()).startsWith("first\n").contains("[part 2 of 3 did not arrive]");
    assertThat(silent.answer()).failsWithin(5, TimeUnit.SECONDS);
    assertThat(dumps.incomplete.sum()).isEqualTo(1);
    assertThat(dumps.timedOut.sum()).isEqualTo(1);
  }

  @Test
  void aProcessAskedWithinTheIntervalIsRefusedOthersAreNot() {
    ThreadDumps dumps = new ThreadDumps((text, to) -> sent.add(text), 5000);
    assertThat(dumps.ask(7, app, "", 1000, 60_000).answer()).isNotNull();
    ThreadDumps.Ask again = dumps.ask(7, app, "", 3000, 60_000);
    assertThat(again.answer()).isNull();
    assertThat(again.retryAfterMs()).isEqualTo(3000);
    assertThat(again.refusal()).contains("agent_thread_dump_interval_ms=5000");
    assertThat(dumps.ask(8, app, "", 3000, 60_000).answer()).as("another process").isNotNull();
    assertThat(dumps.ask(7, app, "", 6000, 60_000).answer()).as("after the interval").isNotNull();
    assertThat(dumps.refused.sum()).isEqualTo(1);
    assertThat(sent).hasSize(3);
  }
}
