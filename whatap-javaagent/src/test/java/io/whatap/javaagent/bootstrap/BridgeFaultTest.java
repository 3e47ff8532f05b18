package io.whatap.javaagent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hook that throws never reaches the instrumented call: {@link Bridge} catches what the HTTP-client
 * hooks (kinds 18 and 19 here) throw at every stage, counts it ({@code agent_internal_errors} reads
 * {@link Bridge#errors()}) and hands it to the agent log's sink; the call goes on with what it had.
 */
class BridgeFaultTest {
  private final List<String> logged = new ArrayList<>();

  @AfterEach
  void uninstall() {
    Bridge.install(Bridge.JETTY_HTTP_CLIENT, null);
    Bridge.install(Bridge.VERTX_HTTP_CLIENT, null);
    Bridge.errorSink(null);
  }

  @Test
  void aThrowingHookIsCountedLoggedAndTheCallKeepsItsArgumentAndResult() {
    Bridge.errorSink((where, error) -> logged.add(where + " " + error.getMessage()));
    Hook throwing = new Hook() {
      @Override
      public Object enter(Object self, Object arg0, Object arg1) {
        throw new IllegalStateException("enter broke");
      }

      @Override
      public Object argument(Object scope, Object original) {
        throw new IllegalStateException("argument broke");
      }

      @Override
      public void exit(Object scope, Object returned, Throwable thrown) {
        throw new LinkageError("exit broke");
      }
    };
    Bridge.install(Bridge.VERTX_HTTP_CLIENT, libraryObject -> throwing);
    long before = Bridge.errors();

    Hook hook = Bridge.hook(Bridge.VERTX_HTTP_CLIENT, "client");
    assertThat(Bridge.enter(Bridge.VERTX_HTTP_CLIENT, hook, "client", "options", null)).isNull();
    assertThat(Bridge.argument(Bridge.VERTX_HTTP_CLIENT, hook, "scope", "options")).isEqualTo("options");
    Bridge.exit(Bridge.VERTX_HTTP_CLIENT, hook, "scope", "future", null);

    assertThat(Bridge.errors() - before).isEqualTo(3);
    assertThat(logged).containsExactly("bridge:19 enter broke", "bridge:19 argument broke", "bridge:19 exit broke");
  }

  @Test
  void aProviderThatThrowsLeavesTheCallUntraced() {
    Bridge.errorSink((where, error) -> logged.add(where));
    Bridge.install(Bridge.JETTY_HTTP_CLIENT, libraryObject -> {
      throw new NoClassDefFoundError("org/eclipse/jetty/client/Request");
    });
    long before = Bridge.errors();
    Hook hook = Bridge.hook(Bridge.JETTY_HTTP_CLIENT, "client");
    assertThat(hook).isNull();
    assertThat(Bridge.enter(Bridge.JETTY_HTTP_CLIENT, hook, "client", "request", null)).isNull();
    assertThat(Bridge.errors() - before).isEqualTo(1);
    assertThat(logged).containsExactly("bridge:18");
  }
}
