package io.whatap.httpclient.vertx;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.whatap.http.HeaderSetter;
import io.whatap.http.HttpClientCall;
import io.whatap.spi.HttpClientTracing;
import io.whatap.spi.AgentLogs;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Vert.x {@code HttpClient} and {@code WebClient}, 4.5 and 5 from one jar:
 * {@code HttpClient client = WhatapVertxClient.trace(vertx.createHttpClient());} and
 * {@code WebClient web = WebClient.wrap(WhatapVertxClient.trace(vertx.createHttpClient()));}.
 *
 * <p>Every {@code request(...)} made while a transaction is current (the thread's, or with
 * whatap-vertx the one on the caller's Vert.x context, through {@code Whatap.currentTransaction()})
 * starts the step on the caller's thread and carries the multi-transaction headers in a copy of
 * its {@code RequestOptions}; the step ends when the response head arrives, or when creating the
 * request (connect) or the response fails. WebClient creates its requests through the
 * {@code HttpClient} it wraps, on the thread that calls {@code send}, so it is traced by the same
 * path.
 *
 * <p>{@code HttpClient} is an interface whose methods differ between 4.5 (callback overloads) and
 * 5 ({@code HttpClientAgent}), and {@code WebClient.wrap} casts to the internal interface of each
 * line: the traced client is a {@link Proxy} implementing every interface of the client it wraps,
 * with {@code request} intercepted and everything else passed through. Interceptors of WebClient
 * are in an {@code impl} package in both lines; this uses public API only.
 */
public final class WhatapVertxClient {
  static final String DRIVER = "vertx-httpclient";
  private static final HeaderSetter<RequestOptions> SET_HEADER = RequestOptions::putHeader;

  private WhatapVertxClient() { }

  /**
   * {@code client} traced, of the same interfaces ({@code HttpClient}, on 5 {@code HttpClientAgent},
   * and the internal ones {@code WebClient.wrap} needs). Tracing a traced client returns it.
   */
  @SuppressWarnings("unchecked")
  public static <T extends HttpClient> T trace(T client) {
    if (client == null) {
      throw new IllegalArgumentException("WhatapVertxClient.trace(null): pass the HttpClient to trace");
    }
    if (Proxy.isProxyClass(client.getClass()) && Proxy.getInvocationHandler(client) instanceof Tracing) {
      return client;
    }
    Set<Class<?>> interfaces = new LinkedHashSet<>();
    for (Class<?> c = client.getClass(); c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        interfaces.add(i);
      }
    }
    return (T) Proxy.newProxyInstance(client.getClass().getClassLoader(), interfaces.toArray(new Class<?>[0]),
        new Tracing(client));
  }

  /**
   * Sends what {@code options} describe through {@code client}, traced: the step starts here, on
   * the caller's thread. Returns {@code client.request(...)}'s own future.
   */
  static Future<HttpClientRequest> request(HttpClient client, RequestOptions options) {
    HttpClientCall call = HttpClientTracing.start(DRIVER, url(options));
    if (call == null) {
      return client.request(options);
    }
    Future<HttpClientRequest> created;
    try {
      created = client.request(withHeaders(call, options));
    } catch (RuntimeException | Error e) {
      call.end(0, e);
      throw e;
    }
    // registered before the caller gets the future: runs before the caller's own continuations
    created.onComplete(ender(call));
    return created;
  }

  /**
   * A copy of {@code options} carrying {@code call}'s multi-transaction headers: the caller's
   * options are left as they were (an application may reuse them for an untraced request).
   */
  static RequestOptions withHeaders(HttpClientCall call, RequestOptions options) {
    RequestOptions traced = new RequestOptions(options);
    call.inject(SET_HEADER, traced);
    return traced;
  }

  /**
   * What ends {@code call} once the request is created: a failure to create it (connect) ends the
   * step with that failure, otherwise the step ends when the response head arrives or fails.
   * Library mode and the javaagent's hook both put it on {@code request(...)}'s future.
   */
  static Handler<AsyncResult<HttpClientRequest>> ender(HttpClientCall call) {
    return new Created(call);
  }

  /** The URL the request goes to, as far as its options say (the client's defaults otherwise). */
  static String url(RequestOptions o) {
    Boolean ssl = o.isSsl();
    boolean secure = ssl != null && ssl;
    String host = o.getHost() == null ? "localhost" : o.getHost();
    int port = o.getPort() == null ? (secure ? 443 : 80) : o.getPort();
    String uri = o.getURI() == null ? "/" : o.getURI();
    return (secure ? "https://" : "http://") + host + ":" + port + uri;
  }

  private static final class Created implements Handler<AsyncResult<HttpClientRequest>> {
    private final HttpClientCall call;

    Created(HttpClientCall call) {
      this.call = call;
    }

    @Override
    public void handle(AsyncResult<HttpClientRequest> created) {
      if (created.failed()) {
        call.end(0, created.cause());
        return;
      }
      try {
        created.result().response().onComplete(this::responded);
      } catch (RuntimeException | LinkageError e) {
        AgentLogs.failure("vertx-httpc-response", "could not follow a Vert.x request's response; its"
            + " step is not recorded", e);
      }
    }

    private void responded(AsyncResult<HttpClientResponse> response) {
      if (response.failed()) {
        call.end(0, response.cause());
      } else {
        call.end(response.result().statusCode(), null);
      }
    }
  }

  /** The proxy's handler: {@code request(...)} traced, every other method passed to the client. */
  private static final class Tracing implements InvocationHandler {
    private final HttpClient client;

    Tracing(HttpClient client) {
      this.client = client;
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      if (method.getName().equals("request") && (method.getReturnType() == Future.class
          || method.getReturnType() == void.class)) {
        RequestOptions options = toOptions(args);
        if (options != null) {
          Future<HttpClientRequest> created = request(client, options);
          Object last = args[args.length - 1];
          if (last instanceof Handler) { // 4.5's callback overloads
            created.onComplete((Handler<AsyncResult<HttpClientRequest>>) last);
            return null;
          }
          return created;
        }
      }
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals":
            return proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          case "toString":
            return "traced " + client;
          default:
            break;
        }
      }
      try {
        return method.invoke(client, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    /**
     * The options of a {@code request} overload: (RequestOptions), (method, port, host, uri),
     * (method, host, uri), (method, uri), (), each with 4.5's optional trailing handler. Null for
     * a shape not known here (passed through untraced).
     */
    private static RequestOptions toOptions(Object[] args) {
      int n = args == null ? 0 : args.length;
      if (n > 0 && args[n - 1] instanceof Handler) {
        n--;
      }
      if (n == 0) {
        return new RequestOptions();
      }
      if (n == 1 && args[0] instanceof RequestOptions) {
        return (RequestOptions) args[0];
      }
      if (!(args[0] instanceof HttpMethod)) {
        return null;
      }
      RequestOptions o = new RequestOptions().setMethod((HttpMethod) args[0]);
      if (n == 2 && args[1] instanceof String) {
        return o.setURI((String) args[1]);
      }
      if (n == 3 && args[1] instanceof String && args[2] instanceof String) {
        return o.setHost((String) args[1]).setURI((String) args[2]);
      }
      if (n == 4 && args[1] instanceof Integer && args[2] instanceof String && args[3] instanceof String) {
        return o.setPort((Integer) args[1]).setHost((String) args[2]).setURI((String) args[3]);
      }
      return null;
    }
  }
}
