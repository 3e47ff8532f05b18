package io.whatap.runtime;

import static io.whatap.runtime.SenderIntegrationTest.agent;
import static io.whatap.runtime.SenderIntegrationTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.trace.TraceContext;
import io.whatap.trace.Tracer;
import io.whatap.wire.ActiveStackPack;
import io.whatap.wire.ActiveStatsPack;
import io.whatap.wire.Pack;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TxParamPack;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackChannelAndCountersTest {
  @TempDir Path home;

  @Test
  void theLocalAgentGetsTheStackOfASlowTransactionThenActiveStats() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(1);
      long[] txid = new long[1];
      Thread slow = new Thread(() -> {
        TraceContext ctx = agent.tracer.start("/slow");
        txid[0] = ctx.txid();
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
        agent.tracer.end(ctx, 200, null);
      }, "slow-request");
      try {
        slow.start();
        started.await();
        // the stack must be taken inside release.await(), not while countDown() is still returning
        SenderIntegrationTest.awaitTrue(() -> slow.getState() == Thread.State.WAITING, Duration.ofSeconds(5));
        // the application's socket becomes known to the receiver with its first datagram
        agent.tracer.end(agent.tracer.start("/hello"), 200, null);
        receiver.awaitTransaction("/hello", Duration.ofSeconds(5));
        receiver.sendText("0,1," + txid[0], receiver.lastSender());
        ActiveStackPack stack = receiver.awaitPack(ActiveStackPack.class, p -> true, Duration.ofSeconds(5));
        assertThat(stack.data().split(", ", 3)[1]).isEqualTo(String.valueOf(txid[0]));
        assertThat(stack.data().split(", ", 3)[2]).contains("CountDownLatch.await");
        List<Pack> packs = receiver.packs();
        int stackAt = packs.indexOf(stack);
        assertThat(packs.subList(stackAt, packs.size())).anySatisfy(p -> assertThat(p).isInstanceOf(ActiveStatsPack.class));
        ActiveStatsPack stats = receiver.awaitPack(ActiveStatsPack.class, p -> true, Duration.ofSeconds(5));
        assertThat(stats.bands()).hasSize(5);
        assertThat(stats.bands()[0]).isEqualTo(1);

        receiver.sendText("25,2,", receiver.lastSender());
        TxParamPack list = receiver.awaitPack(TxParamPack.class, p -> p.requestId().equals("2"), Duration.ofSeconds(5));
        assertThat(list.data()).contains(String.valueOf(txid[0])).contains("/slow");
      } finally {
        release.countDown();
        slow.join();
        agent.close();
      }
    }
  }

  /**
   * The sender's socket is connected to the agent's address (so that ICMP port-unreachable reaches
   * it): the kernel drops datagrams from any other address before the back channel sees them.
   */
  @Test
  void requestsFromAnyOtherAddressNeverReachTheApplicationAndMalformedOnesAreCounted() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver(); UdpTestReceiver stranger = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver);
      try {
        agent.tracer.end(agent.tracer.start("/hello"), 200, null);
        receiver.awaitTransaction("/hello", Duration.ofSeconds(5));
        InetSocketAddress app = new InetSocketAddress(InetAddress.getLoopbackAddress(),
            ((InetSocketAddress) receiver.lastSender()).getPort());
        stranger.sendText("25,666,", app);
        stranger.sendText("garbage", app);
        receiver.sendText("not-a-number,x,y", app);
        awaitTrue(() -> agent.backChannel.ignored.sum() == 1, Duration.ofSeconds(5));
        receiver.sendText("25,7,", app); // answered: everything sent before it has been read
        receiver.awaitPack(TxParamPack.class, p -> true, Duration.ofSeconds(5));
        assertThat(agent.backChannel.ignored.sum()).as("only the malformed request of the agent").isEqualTo(1);
        assertThat(agent.backChannel.requests.sum()).as("the stranger's never arrived").isEqualTo(2);
        assertThat(stranger.packs()).isEmpty();
      } finally {
        agent.close();
      }
    }
  }

  /**
   * Every option of the shipped whatap.conf, in a real whatap.conf, plus secrets under names the
   * shipped file does not have; the answer to "4" (read over the back channel, as the local agent
   * reads it) names every key but carries no secret's value.
   */
  @Test
  void theConfigurationAnswerMasksEverySecretAndKeepsTheRest() throws Exception {
    Pattern secretName = Pattern.compile("token|passw(or)?d|secret|credential|api[-_.]?key|private[-_.]?key|licen[cs]e",
        Pattern.CASE_INSENSITIVE);
    Pattern option = Pattern.compile("^#?([a-z][a-z0-9_.]*)=(.*)$");
    Map<String, String> conf = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("..", "conf", "whatap.conf"))) {
      Matcher m = option.matcher(line.trim());
      if (m.matches()) {
        conf.put(m.group(1), m.group(2).trim());
      }
    }
    for (String extra : List.of("agent_token", "db_password", "x_api_secret", "db.passwd", "client-credential",
        "payment.api-key", "tls_private_key", "licence")) {
      conf.put(extra, "");
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    for (String key : conf.keySet()) {
      if (secretName.matcher(key).find()) {
        secrets.put(key, "s3cr3t-" + Tracer.newTxid() + "-" + key);
      }
    }
    assertThat(secrets).containsKeys("license", "agent_token", "db_password", "x_api_secret").hasSizeGreaterThanOrEqualTo(9);
    conf.putAll(secrets);
    conf.put("app_name", "configured-shop");
    StringBuilder file = new StringBuilder();
    conf.forEach((k, v) -> file.append(k).append('=').append(v).append('\n'));
    Files.writeString(home.resolve("whatap.conf"), file);

    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver);
      try {
        assertThat(agent.config().raw()).containsAllEntriesOf(secrets);
        agent.tracer.end(agent.tracer.start("/hello"), 200, null);
        receiver.awaitTransaction("/hello", Duration.ofSeconds(5));
        receiver.sendText("4,41,", receiver.lastSender());
        TxParamPack answer = receiver.awaitPack(TxParamPack.class, p -> p.requestId().equals("41"), Duration.ofSeconds(5));
        String text = answer.data();
        assertThat(text).contains("app_name=configured-shop\n").contains("mtrace_caller_key=x-wtap-mst\n");
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
          assertThat(text).contains(secret.getKey() + "=****\n").doesNotContain(secret.getValue());
        }
        for (String key : conf.keySet()) {
          assertThat(text).contains(key + "=");
        }
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void aThreadDumpListsEveryThreadWithItsFramesWithinTheParamLimit() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver);
      try {
        agent.tracer.end(agent.tracer.start("/dump"), 200, null);
        receiver.awaitTransaction("/dump", Duration.ofSeconds(5));
        receiver.sendText("27,77,", receiver.lastSender());
        TxParamPack answer = receiver.awaitPack(TxParamPack.class, p -> p.requestId().equals("77"), Duration.ofSeconds(5));
        assertThat(answer.paramId()).isEqualTo("27");
        assertThat(answer.data()).contains("\"" + Thread.currentThread().getName() + "\" #")
            .contains("io.whatap.runtime.BackChannelAndCountersTest.aThreadDump")
            .contains("\"whatap-backchannel").contains("daemon RUNNABLE");
        assertThat(answer.data().length()).isLessThanOrEqualTo(BackChannel.THREAD_DUMP_MAX_CHARS + 200);
      } finally {
        agent.close();
      }
    }
  }

  @Test
  void countersArriveAsRelayTagCountPacks() throws Exception {
    try (UdpTestReceiver receiver = new UdpTestReceiver()) {
      Agent agent = agent(home, receiver, "counter_interval_ms", "500", "app_name", "shop");
      try {
        for (int i = 0; i < 50; i++) {
          agent.tracer.end(agent.tracer.start("/c"), i < 5 ? 500 : 200, null);
        }
        RelayPack relay = receiver.awaitPack(RelayPack.class,
            p -> p.tagCount() != null && ((Number) p.tagCount().fields().get("tx_count")).longValue() > 0,
            Duration.ofSeconds(10));
        assertThat(relay.tagCount().category()).isEqualTo("app_counter");
        Map<String, Object> tags = relay.tagCount().tags();
        assertThat(tags).containsEntry("app", "shop").containsEntry("pid", String.valueOf(ProcessHandle.current().pid()));
        Map<String, Object> f = relay.tagCount().fields();
        assertThat(((Number) f.get("tx_count")).longValue()).isEqualTo(50);
        assertThat(((Number) f.get("error_count")).longValue()).isEqualTo(5);
        assertThat(((Number) f.get("tps")).doubleValue()).isPositive();
        assertThat(((Number) f.get("heap_used")).longValue()).isPositive();
        assertThat(f).containsKeys("resp_time_avg_ms", "resp_time_p50_ms", "resp_time_p90_ms", "resp_time_p99_ms",
            "active", "cpu_pct", "heap_max", "gc_count", "gc_time_ms", "threads", "agent_frames_sent",
            "agent_tx_dropped", "agent_send_errors");
      } finally {
        agent.close();
      }
    }
  }
}
