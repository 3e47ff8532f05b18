package io.whatap.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.whatap.Whatap;
import io.whatap.runtime.Agent;
import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import io.whatap.wire.TxErrorPack;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.mockito.ArgumentCaptor;

/** What the filter promises the thread it runs on and the application's exceptions, without a container. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhatapFilterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private UdpTestReceiver receiver;
  private final WhatapFilter filter = new WhatapFilter();

  @BeforeAll
  void start() {
    receiver = new UdpTestReceiver();
    Whatap.configure(receiver.agentOptions());
    filter.init(mock(FilterConfig.class)); // as a container does before the first request
  }

  @AfterAll
  void stop() {
    filter.destroy();
    receiver.close();
  }

  private static HttpServletRequest request(String path, DispatcherType type) {
    HttpServletRequest request = mock(HttpServletRequest.class);
    when(request.getMethod()).thenReturn("GET");
    when(request.getServletPath()).thenReturn(path);
    when(request.getRemoteAddr()).thenReturn("127.0.0.1");
    when(request.getDispatcherType()).thenReturn(type);
    return request;
  }

  private static HttpServletResponse response(int status) {
    HttpServletResponse response = mock(HttpServletResponse.class);
    when(response.getStatus()).thenReturn(status);
    return response;
  }

  @Test
  void theApplicationsExceptionIsRethrownUnchangedAndTheThreadGetsItsContextBack() {
    TraceContext outer = Agent.get().tracer.start("outer");
    IllegalStateException boom = new IllegalStateException("unit boom");
    AtomicReference<TraceContext> seen = new AtomicReference<>();
    FilterChain chain = (req, res) -> {
      seen.set(CurrentContext.get());
      throw boom;
    };
    TraceContext previous = CurrentContext.attach(outer);
    try {
      assertThatThrownBy(() -> filter.doFilter(request("/unit-boom", DispatcherType.REQUEST), response(200), chain))
          .isSameAs(boom);
      assertThat(CurrentContext.get()).as("the thread's own context is back").isSameAs(outer);
    } finally {
      CurrentContext.restore(previous);
      outer.end();
    }
    ReceivedTx tx = receiver.awaitTransaction("/unit-boom", WAIT);
    assertThat(seen.get().txid()).isEqualTo(tx.txid());
    assertThat(tx.status()).as("not committed: the container answers 500").isEqualTo(500);
    assertThat(tx.steps(TxErrorPack.class)).singleElement().satisfies(e -> assertThat(e.message()).isEqualTo("unit boom"));
  }

  @Test
  void aCompletedRequestLeavesNoContextOnTheThread() throws Exception {
    AtomicReference<ServletRequest> passedOn = new AtomicReference<>();
    filter.doFilter(request("/unit-ok", DispatcherType.REQUEST), response(201), (req, res) -> passedOn.set(req));
    assertThat(CurrentContext.get()).isNull();
    assertThat(passedOn.get()).isInstanceOf(TracedRequest.class);
    assertThat(receiver.awaitTransaction("/unit-ok", WAIT).status()).isEqualTo(201);
  }

  @Test
  void theListenerGoesOnWhenAsyncStartsSoAnEarlyCompletionStillEndsTheTransaction() throws Exception {
    HttpServletRequest request = request("/unit-async", DispatcherType.REQUEST);
    AsyncContext containerAsync = mock(AsyncContext.class);
    when(request.startAsync()).thenReturn(containerAsync);
    HttpServletResponse response = response(202);
    AtomicReference<TraceContext> ctx = new AtomicReference<>();
    AtomicReference<AsyncContext> seenByApp = new AtomicReference<>();

    // the request.isAsyncStarted() of the mock answers false once the chain returned, as a
    // container does when the async work completed before that
    filter.doFilter(request, response, (req, res) -> {
      ctx.set(CurrentContext.get());
      seenByApp.set(req.startAsync());
    });

    ArgumentCaptor<AsyncListener> listener = ArgumentCaptor.forClass(AsyncListener.class);
    verify(containerAsync).addListener(listener.capture());
    assertThat(seenByApp.get()).isInstanceOf(TracedAsyncContext.class);
    assertThat(ctx.get().isEnded()).as("the filter leaves the end to the listener").isFalse();

    listener.getValue().onComplete(new AsyncEvent(containerAsync));
    assertThat(ctx.get().isEnded()).isTrue();
    assertThat(receiver.awaitTransaction("/unit-async", WAIT).status()).isEqualTo(202);
  }

  @Test
  void aDispatchThatIsNotARequestStartsNothing() throws Exception {
    for (DispatcherType type : new DispatcherType[] {DispatcherType.ERROR, DispatcherType.FORWARD,
        DispatcherType.INCLUDE, DispatcherType.ASYNC}) {
      HttpServletRequest request = request("/unit-" + type, type);
      AtomicReference<ServletRequest> passedOn = new AtomicReference<>();
      filter.doFilter(request, response(200), (req, res) -> {
        passedOn.set(req);
        assertThat(CurrentContext.get()).isNull();
      });
      assertThat(passedOn.get()).as(type.name()).isSameAs(request);
    }
  }
}
