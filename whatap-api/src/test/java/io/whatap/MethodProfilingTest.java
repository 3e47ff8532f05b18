package io.whatap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import io.whatap.wire.TxMethodPack;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Method profiling through {@code Whatap.profile(instance, Interface.class)} proxies, read back from UDP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MethodProfilingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Annotated on the interface. */
  public interface Greeter {
    @MethodProfiling
    String greet(String who);

    @MethodProfiling("greeter.fail")
    String fail() throws IOException;

    String plain();

    /** Annotated on the implementation only. */
    int count();
  }

  static final class GreeterImpl implements Greeter {
    final AtomicInteger calls = new AtomicInteger();
    final IOException failure = new IOException("disk gone");

    @Override
    public String greet(String who) {
      calls.incrementAndGet();
      Whatap.currentTransaction().message("inside", who, "");
      return "hello " + who;
    }

    @Override
    public String fail() throws IOException {
      calls.incrementAndGet();
      throw failure;
    }

    @Override
    public String plain() {
      calls.incrementAndGet();
      return "plain";
    }

    @Override
    @MethodProfiling("impl.count")
    public int count() {
      return calls.incrementAndGet();
    }
  }

  /** A package-private interface: the proxy must still reach the implementation. */
  interface Hidden {
    @MethodProfiling("hidden.value")
    String value();
  }

  interface NothingProfiled {
    String value();
  }

  private UdpTestReceiver receiver;

  @BeforeAll
  void start() {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    options.put("method_profiling_outside_transaction", "true");
    Whatap.configure(options);
  }

  @AfterAll
  void stop() {
    Whatap.configure(Map.of("method_profiling_outside_transaction", "true"));
    receiver.close();
  }

  @BeforeEach
  void clear() {
    receiver.clear();
  }

  @Test
  void annotatedMethodsAreStepsOfTheCurrentTransaction() throws Exception {
    GreeterImpl impl = new GreeterImpl();
    Greeter greeter = Whatap.profile(impl, Greeter.class);
    Whatap.transaction("profiled-outer", () -> {
      assertThat(greeter.greet("ann")).isEqualTo("hello ann");
      assertThat(greeter.plain()).isEqualTo("plain");
      assertThat(greeter.count()).isEqualTo(3);
      return null;
    });
    ReceivedTx tx = receiver.awaitTransaction("profiled-outer", WAIT);
    List<String> methods = tx.steps(TxMethodPack.class).stream().map(TxMethodPack::method).toList();
    assertThat(methods).containsExactly(Greeter.class.getName() + ".greet", "impl.count");
    assertThat(impl.calls).as("each call reaches the instance once").hasValue(3);
    assertThat(tx.steps(TxErrorPack.class)).isEmpty();
  }

  @Test
  void anExceptionPassesThroughUnchangedAndIsRecordedOnce() {
    GreeterImpl impl = new GreeterImpl();
    Greeter greeter = Whatap.profile(impl, Greeter.class);
    Transaction tx = Whatap.startTransaction("profiled-failure");
    try {
      assertThatThrownBy(greeter::fail).isSameAs(impl.failure);
    } finally {
      tx.end();
    }
    ReceivedTx received = receiver.awaitTransaction("profiled-failure", WAIT);
    assertThat(received.steps(TxMethodPack.class)).singleElement()
        .satisfies(m -> assertThat(m.method()).isEqualTo("greeter.fail"));
    assertThat(received.steps(TxErrorPack.class)).singleElement().satisfies(e -> {
      assertThat(e.errorClass()).isEqualTo("java.io.IOException");
      assertThat(e.message()).isEqualTo("disk gone");
    });
  }

  @Test
  void outsideATransactionEachCallIsATransactionNamedAfterTheMethod() {
    Greeter greeter = Whatap.profile(new GreeterImpl(), Greeter.class);
    assertThat(greeter.greet("bob")).isEqualTo("hello bob");
    ReceivedTx tx = receiver.awaitTransaction(Greeter.class.getName() + ".greet", WAIT);
    assertThat(tx.steps(TxMethodPack.class)).as("the call is the transaction, not a step of it").isEmpty();
    assertThat(tx.packs()).anySatisfy(p -> assertThat(p).isInstanceOf(io.whatap.wire.TxMsgPack.class));
    assertThat(Whatap.currentTransaction()).as("nothing stays attached").isSameAs(Transaction.NOOP);
  }

  @Test
  void outsideATransactionWithTheOptionOffNothingIsRecorded() {
    Greeter greeter = Whatap.profile(new GreeterImpl(), Greeter.class);
    Whatap.configure(Map.of("method_profiling_outside_transaction", "false"));
    try {
      assertThat(greeter.greet("carol")).isEqualTo("hello carol");
      assertThat(Whatap.currentTransaction()).isSameAs(Transaction.NOOP);
    } finally {
      Whatap.configure(Map.of("method_profiling_outside_transaction", "true"));
    }
    Whatap.transaction("after-unprofiled-call", () -> { });
    receiver.awaitTransaction("after-unprofiled-call", WAIT); // sent after the call: it would be here by now
    assertThat(receiver.completed()).extracting(ReceivedTx::uri).containsExactly("after-unprofiled-call");
  }

  @Test
  void packagePrivateInterfacesWork() throws Exception {
    Hidden hidden = Whatap.profile(() -> "secret", Hidden.class);
    assertThat(Whatap.transaction("hidden-outer", hidden::value)).isEqualTo("secret");
    assertThat(receiver.awaitTransaction("hidden-outer", WAIT).steps(TxMethodPack.class))
        .extracting(TxMethodPack::method).containsExactly("hidden.value");
  }

  @Test
  void proxiesAreMadeOnceAndOnlyWhenSomethingIsProfiled() {
    GreeterImpl impl = new GreeterImpl();
    Greeter greeter = Whatap.profile(impl, Greeter.class);
    assertThat(greeter).isNotSameAs(impl);
    assertThat(Whatap.profile(greeter, Greeter.class)).as("profiling a proxy again").isSameAs(greeter);
    assertThat(greeter).isEqualTo(greeter).hasSameHashCodeAs(impl);
    NothingProfiled plain = () -> "x";
    assertThat(Whatap.profile(plain, NothingProfiled.class)).isSameAs(plain);
  }

  @Test
  void aClassIsNotAnInterface() {
    assertThatThrownBy(() -> Whatap.profile(new StringBuilder(), StringBuilder.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.StringBuilder is not an interface")
        .hasMessageContaining("whatap-javaagent");
  }

  @Test
  void profileByNameReturnsTheResultAndRecordsAStep() throws Exception {
    int result = Whatap.transaction("named-outer", () -> Whatap.profile("compute", () -> 6 * 7));
    assertThat(result).isEqualTo(42);
    assertThat(receiver.awaitTransaction("named-outer", WAIT).steps(TxMethodPack.class))
        .extracting(TxMethodPack::method).containsExactly("compute");
  }
}
