package io.whatap.jdkhttp;

import io.whatap.http.HeaderSetter;
import io.whatap.http.HttpClientCall;
import io.whatap.http.HttpClientHandler;
import io.whatap.spi.HttpServerTracing;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.PushPromiseHandler;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A {@link HttpClient} that records each call made while a transaction is current
 * ({@code Whatap.httpClient(client)}). A traced call sends the application's request behind a
 * {@link HeaderedRequest} that adds the multi-transaction headers (a {@code HttpRequest} is
 * immutable); an untraced call goes to the wrapped client as it is.
 */
public final class TracedHttpClient extends HttpClient {
  static final String DRIVER = "java.net.http";
  private static final HeaderSetter<HeaderedRequest> SET_HEADER = HeaderedRequest::setHeader;

  private final HttpClient next;

  private TracedHttpClient(HttpClient next) {
    this.next = next;
  }

  /** {@code client} traced; {@code client} itself when it already is. */
  public static HttpClient wrap(HttpClient client) {
    return client instanceof TracedHttpClient ? client : new TracedHttpClient(client);
  }

  /**
   * The request a traced call sends: the application's own behind a {@link HeaderedRequest} that
   * adds the multi-transaction headers, or {@code request} itself when no header was written.
   */
  private static HttpRequest withHeaders(HttpClientCall call, HttpRequest request) {
    HeaderedRequest sent = new HeaderedRequest(request);
    call.inject(SET_HEADER, sent);
    return sent.added() == 0 ? request : sent;
  }

  /**
   * The client checks header names and values only when a request is sent: if it refuses ours (a
   * {@code mtrace_*_key} it restricts, an {@code app_name} it cannot carry), the call goes out as the
   * application made it, and the refusal is counted and logged once.
   */
  private static void headersRefused(IllegalArgumentException e) {
    HttpServerTracing.failure("jdk-httpclient-headers", "java.net.http refused the multi-transaction headers"
        + " (see mtrace_caller_key, mtrace_callee_key, mtrace_info_key, app_name); calls are sent without"
        + " them", e);
  }

  @Override
  public <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> handler)
      throws IOException, InterruptedException {
    HttpClientCall call = HttpClientHandler.start(DRIVER, request.uri().toString());
    if (call == null) {
      return next.send(request, handler);
    }
    HttpRequest sent = withHeaders(call, request);
    HttpResponse<T> response;
    try {
      try {
        response = next.send(sent, handler);
      } catch (IllegalArgumentException e) {
        if (sent == request) {
          throw e;
        }
        headersRefused(e);
        response = next.send(request, handler);
      }
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      call.end(0, e);
      throw e;
    }
    call.end(response.statusCode(), null);
    return response;
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler) {
    return sendAsync(request, handler, null);
  }

  @Override
  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, BodyHandler<T> handler,
      PushPromiseHandler<T> pushPromiseHandler) {
    HttpClientCall call = HttpClientHandler.start(DRIVER, request.uri().toString());
    if (call == null) {
      return next.sendAsync(request, handler, pushPromiseHandler);
    }
    HttpRequest sent = withHeaders(call, request);
    CompletableFuture<HttpResponse<T>> inner;
    try {
      try {
        inner = next.sendAsync(sent, handler, pushPromiseHandler);
      } catch (IllegalArgumentException e) {
        if (sent == request) {
          throw e;
        }
        headersRefused(e);
        inner = next.sendAsync(request, handler, pushPromiseHandler);
      }
    } catch (RuntimeException | Error e) {
      call.end(0, e);
      throw e;
    }
    return RecordedFuture.of(inner, call);
  }

  /**
   * What {@code sendAsync} returns for a traced call: it completes after the step is recorded, so
   * a continuation of the application that ends the transaction cannot run before it (dependents
   * of one future run in reverse order of registration); cancelling it cancels the client's own
   * future, as cancelling that one would.
   */
  static final class RecordedFuture<T> extends CompletableFuture<HttpResponse<T>> {
    private final CompletableFuture<HttpResponse<T>> inner;

    private RecordedFuture(CompletableFuture<HttpResponse<T>> inner) {
      this.inner = inner;
    }

    static <T> RecordedFuture<T> of(CompletableFuture<HttpResponse<T>> inner, HttpClientCall call) {
      RecordedFuture<T> outer = new RecordedFuture<>(inner);
      inner.whenComplete((response, error) -> {
        call.end(response == null ? 0 : response.statusCode(), error);
        if (error != null) {
          outer.completeExceptionally(error);
        } else {
          outer.complete(response);
        }
      });
      return outer;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      inner.cancel(mayInterruptIfRunning);
      return super.cancel(mayInterruptIfRunning);
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
      return new CompletableFuture<>();
    }
  }

  @Override
  public Optional<CookieHandler> cookieHandler() {
    return next.cookieHandler();
  }

  @Override
  public Optional<Duration> connectTimeout() {
    return next.connectTimeout();
  }

  @Override
  public Redirect followRedirects() {
    return next.followRedirects();
  }

  @Override
  public Optional<ProxySelector> proxy() {
    return next.proxy();
  }

  @Override
  public SSLContext sslContext() {
    return next.sslContext();
  }

  @Override
  public SSLParameters sslParameters() {
    return next.sslParameters();
  }

  @Override
  public Optional<Authenticator> authenticator() {
    return next.authenticator();
  }

  @Override
  public Version version() {
    return next.version();
  }

  @Override
  public Optional<Executor> executor() {
    return next.executor();
  }

  @Override
  public WebSocket.Builder newWebSocketBuilder() {
    return next.newWebSocketBuilder();
  }

  // The lifecycle methods of JDK 21+ (absent from the JDK 17 API this compiles against): they
  // override HttpClient's on 21+ and reach the wrapped client's through handles found once.

  private static final MethodHandle SHUTDOWN = lifecycle("shutdown", MethodType.methodType(void.class));
  private static final MethodHandle SHUTDOWN_NOW = lifecycle("shutdownNow", MethodType.methodType(void.class));
  private static final MethodHandle CLOSE = lifecycle("close", MethodType.methodType(void.class));
  private static final MethodHandle IS_TERMINATED = lifecycle("isTerminated", MethodType.methodType(boolean.class));
  private static final MethodHandle AWAIT_TERMINATION =
      lifecycle("awaitTermination", MethodType.methodType(boolean.class, Duration.class));

  private static MethodHandle lifecycle(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(HttpClient.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null; // JDK 17-20: the method does not exist, so nobody can call it on us either
    }
  }

  /** Closes the wrapped client (JDK 21+). */
  public void shutdown() {
    invokeVoid(SHUTDOWN);
  }

  /** Closes the wrapped client at once (JDK 21+). */
  public void shutdownNow() {
    invokeVoid(SHUTDOWN_NOW);
  }

  /** Closes the wrapped client (JDK 21+). */
  public void close() {
    invokeVoid(CLOSE);
  }

  /** Whether the wrapped client has terminated (JDK 21+). */
  public boolean isTerminated() {
    try {
      return IS_TERMINATED != null && (boolean) IS_TERMINATED.invokeExact(next);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  /** Waits for the wrapped client to terminate (JDK 21+). */
  public boolean awaitTermination(Duration duration) throws InterruptedException {
    try {
      return AWAIT_TERMINATION != null && (boolean) AWAIT_TERMINATION.invokeExact(next, duration);
    } catch (InterruptedException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  private void invokeVoid(MethodHandle handle) {
    if (handle == null) {
      return;
    }
    try {
      handle.invokeExact(next);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException(t);
    }
  }

  @Override
  public String toString() {
    return "TracedHttpClient{" + next + "}";
  }
}
