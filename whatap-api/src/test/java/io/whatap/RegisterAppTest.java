package io.whatap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.whatap.jdkhttp.JdkHttpAppWrapper;
import io.whatap.spi.AppWrapper;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxErrorPack;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** {@code Whatap.registerApp}: plain code as transactions, unknown types, and modules that fail to load. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegisterAppTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private UdpTestReceiver receiver;

  @BeforeAll
  void start() {
    receiver = new UdpTestReceiver();
    Map<String, String> options = new HashMap<>(receiver.agentOptions());
    options.put("counter_interval_ms", "600000");
    Whatap.configure(options);
  }

  @AfterAll
  void stop() {
    receiver.close();
  }

  @BeforeEach
  void clear() {
    receiver.clear();
  }

  @Test
  void plainCodeIsOneTransactionPerCall() throws Exception {
    Callable<Integer> callable = Whatap.registerApp("plain-callable", () -> 7);
    Function<String, Integer> function = Whatap.registerApp("plain-function", String::length);
    IllegalStateException failure = new IllegalStateException("no");
    Runnable runnable = Whatap.registerApp("plain-runnable", (Runnable) () -> {
      throw failure;
    });
    assertThat(callable.call()).isEqualTo(7);
    assertThat(callable.call()).isEqualTo(7);
    assertThat(function.apply("abcd")).isEqualTo(4);
    assertThatThrownBy(runnable::run).isSameAs(failure);
    assertThat(receiver.awaitCompleted(4, WAIT)).extracting(ReceivedTx::uri)
        .containsExactlyInAnyOrder("plain-callable", "plain-callable", "plain-function", "plain-runnable");
    assertThat(receiver.awaitTransaction("plain-runnable", WAIT).steps(TxErrorPack.class))
        .extracting(TxErrorPack::message).containsExactly("no");
  }

  @Test
  void anUnknownTypeFailsAtOnceNamingTheClassAndTheSupportedTypes() {
    assertThatThrownBy(() -> Whatap.registerApp(new Object()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot trace a java.lang.Object")
        .hasMessageContaining("[com.sun.net.httpserver.HttpHandler]");
    assertThatThrownBy(() -> Whatap.registerApp(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aModuleThatCannotLoadIsSkippedAndTheOthersStay(@TempDir Path dir) throws Exception {
    Path services = Files.createDirectories(dir.resolve("META-INF/services"));
    Files.writeString(services.resolve(AppWrapper.class.getName()),
        "com.example.MissingWrapper\n" + JdkHttpAppWrapper.class.getName() + "\n");
    List<AppWrapper> loaded = new ArrayList<>();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      Whatap.load(ServiceLoader.load(AppWrapper.class, loader), loaded);
    }
    assertThat(loaded).as("listed by both class loaders, kept once").singleElement()
        .isInstanceOf(JdkHttpAppWrapper.class);
  }
}
