package io.whatap.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.Config;
import io.whatap.trace.ActiveRegistry;
import io.whatap.trace.Meters;
import io.whatap.trace.TraceContext;
import io.whatap.trace.Tracer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class HttpServerHandlerTest {
  private final List<TraceContext> sent = new CopyOnWriteArrayList<>();
  private final Config config = new Config(Map.of("trace_http_headers", "*"));
  private final Tracer tracer = new Tracer(() -> config, new Meters(), new ActiveRegistry(64), sent::add);
  private final HttpServerHandler handler = new HttpServerHandler(tracer);

  /** A request whose framework fails while its headers are read (a recycled or broken request object). */
  private static final HttpRequestView<String> FAILS_ON_HEADERS = new HttpRequestView<>() {
    @Override
    public String method(String request) {
      return "GET";
    }

    @Override
    public String path(String request) {
      return request;
    }

    @Override
    public String query(String request) {
      return null;
    }

    @Override
    public String host(String request) {
      return "localhost";
    }

    @Override
    public String header(String request, String name) {
      return null;
    }

    @Override
    public String remoteAddr(String request) {
      return "127.0.0.1";
    }

    @Override
    public void forEachHeader(String request, java.util.function.BiConsumer<String, String> consumer) {
      throw new IllegalStateException("request already recycled");
    }
  };

  @Test
  void aRequestThatCannotBeReadLeavesNothingInTheActiveTable() {
    for (int i = 0; i < 100; i++) {
      assertThat(handler.start(FAILS_ON_HEADERS, "/broken")).isNull();
    }

    assertThat(tracer.active().count()).as("no slot held by a transaction nobody will end").isZero();
    assertThat(sent).as("a transaction abandoned at start is not sent").isEmpty();
    assertThat(tracer.meters().untracedOnError.sum()).isEqualTo(100);
  }
}
