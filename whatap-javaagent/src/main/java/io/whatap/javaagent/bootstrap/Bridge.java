package io.whatap.javaagent.bootstrap;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * The only agent code an application class ever calls: the advice inlined into instrumented
 * methods calls these static methods, which reach the {@link Hook}s implemented in the agent's
 * isolated class loaders. Loaded by the bootstrap class loader (the agent jar's top level is
 * appended to its search path), so every class loader resolves it to the same class; its
 * signatures use JDK types only.
 *
 * <p>Nothing here throws into the application: a hook's failure is caught, counted
 * ({@code agent_internal_errors}) and logged once through the error sink the agent installs, and
 * the call goes on untraced.
 */
public final class Bridge {
  /** {@code @MethodProfiling} and {@code hook_method_patterns}: enter(null, name, null). */
  public static final int METHOD = 0;
  /** {@code @BatchProfiling}: enter(null, job name, null). */
  public static final int BATCH = 1;
  /** Servlet entry ({@code Servlet.service}, {@code Filter.doFilter}): enter(null, request, response); argument replaces the request. */
  public static final int SERVLET = 2;
  /** {@code java.net.http} clients as built ({@code HttpClientBuilderImpl.build}): enter(null, client, null) returns the traced client. */
  public static final int JDK_HTTP_CLIENT = 8;
  /**
   * {@code HttpURLConnection} ({@code connect}, {@code getOutputStream}, {@code getInputStream}):
   * enter(connection, Boolean connected, null); exit's {@code returned} is the response code (an
   * Integer) when the exchange ended ({@code getInputStream}), null otherwise.
   */
  public static final int HTTP_URL_CONNECTION = 9;
  /** Apache HttpClient 5 builders' {@code build()}: enter(builder, null, null). */
  public static final int APACHE_HTTP_CLIENT = 10;
  /** OkHttp: a new {@code OkHttpClient.Builder} enter(builder, null, null); {@code OkHttpClient.newCall} enter(client, request, null), argument replaces the request. */
  public static final int OKHTTP = 11;
  /**
   * JDBC connections ({@code Driver.connect}, {@code DataSource.getConnection}): enter(driverOrDataSource,
   * url or null, null); exit's {@code returned} is the connection.
   */
  public static final int JDBC_CONNECT = 12;
  /**
   * JDBC statements made ({@code Connection.prepareStatement/prepareCall/createStatement}): enter(connection,
   * sql or null, null), exit's {@code returned} is the statement; and a query's {@code ResultSet} handed
   * out later ({@code Statement.getResultSet}): enter(statement, null, null), exit's {@code returned} is it.
   */
  public static final int JDBC_STATEMENT = 13;
  /**
   * JDBC executions and batches ({@code execute*}, {@code addBatch}, {@code clearBatch}): enter(statement,
   * sql argument or null, method name); exit's {@code returned} is the method's result (boxed).
   */
  public static final int JDBC_EXECUTE = 14;
  /** {@code ResultSet.next/close}: enter(resultSet, its state, method name); exit's {@code returned} is next's result. */
  public static final int JDBC_RESULT_SET = 15;
  /** {@code Statement.close/getMoreResults}, {@code Connection.close}: enter(statementOrConnection, null, null). */
  public static final int JDBC_CLOSE = 16;
  /** Calls into whatap-jdbc's library-mode wrappers (any copy): enter(null, null, null); what they call is not recorded again. */
  public static final int JDBC_LIBRARY_WRAPPER = 17;
  /** Jetty HttpClient 12's {@code newRequest(URI)}: enter(client, the new request, null). */
  public static final int JETTY_HTTP_CLIENT = 18;
  /**
   * Vert.x {@code HttpClientImpl.request(RequestOptions[, Handler])}: enter(client, options, null);
   * argument replaces the options (and 4.5's callback); exit's {@code returned} is the future, if any.
   */
  public static final int VERTX_HTTP_CLIENT = 19;
  /**
   * Vert.x Web routers: enter(router, vertx, null) when a router is made (adds the traced first
   * route); enter(route, handler, router) when a route gets a handler (a hand-registered
   * WhatapHandler takes over from the agent's route); enter(null, classLoader, null) when a
   * Vert.x is being made (registers the context slot first).
   */
  public static final int VERTX = 20;
  /**
   * Undertow core handlers: enter(builder, rootHandler, null) in {@code Undertow.Builder.build()},
   * argument replaces the root handler; enter(deploymentManager, servletHandler, null) when a
   * servlet deployment starts (its requests are the servlet hook's).
   */
  public static final int UNDERTOW = 21;
  /**
   * Spring WebFlux: enter(adapter, request, response) in {@code HttpWebHandlerAdapter.handle},
   * {@link #exitReturning} replaces the returned {@code Mono}; enter(exchange, null, null) when
   * the adapter made the request's exchange.
   */
  public static final int WEBFLUX = 22;
  /** JAX-RS (Jersey): enter(null, containerRequest, null) when Jersey made the request's response (publishes the route). */
  public static final int JAXRS = 23;
  /** JAX-RS (RESTEasy): enter(resourceMethodInvoker, httpRequest, null) before a resource method runs (publishes the route). */
  public static final int RESTEASY = 24;
  /** Room for the kinds later hooks add (25-31 are free); a kind is an index, see RATIONALE.md. */
  public static final int KINDS = 32;

  private static final String[] WHERE = new String[KINDS];
  /** Copy-on-write: written at start (and by tests), read on every instrumented call with one volatile read. */
  private static volatile HookProvider[] providers = new HookProvider[KINDS];
  private static volatile BiConsumer<String, Throwable> errorSink;
  private static final LongAdder ERRORS = new LongAdder();

  static {
    for (int i = 0; i < KINDS; i++) {
      WHERE[i] = "bridge:" + i;
    }
  }

  private Bridge() { }

  /** Makes {@code provider} answer the calls of {@code kind}; null uninstalls it. */
  public static synchronized void install(int kind, HookProvider provider) {
    HookProvider[] next = providers.clone();
    next[kind] = provider;
    providers = next;
  }

  /** Where a hook's failure goes (the agent log, counted as an internal error); it must not throw. */
  public static void errorSink(BiConsumer<String, Throwable> sink) {
    errorSink = sink;
  }

  /** Failures caught here since start. */
  public static long errors() {
    return ERRORS.sum();
  }

  /** The hook for a call of {@code kind} on or with {@code libraryObject}, or null: the call is not traced. */
  public static Hook hook(int kind, Object libraryObject) {
    try {
      HookProvider p = providers[kind];
      return p == null ? null : p.hookFor(libraryObject);
    } catch (Throwable t) {
      failed(kind, t);
      return null;
    }
  }

  public static Object enter(int kind, Hook hook, Object self, Object arg0, Object arg1) {
    if (hook == null) {
      return null;
    }
    try {
      return hook.enter(self, arg0, arg1);
    } catch (Throwable t) {
      failed(kind, t);
      return null;
    }
  }

  public static Object argument(int kind, Hook hook, Object scope, Object original) {
    if (hook == null || scope == null) {
      return original;
    }
    try {
      return hook.argument(scope, original);
    } catch (Throwable t) {
      failed(kind, t);
      return original;
    }
  }

  public static void exit(int kind, Hook hook, Object scope, Object returned, Throwable thrown) {
    if (hook == null || scope == null) {
      return;
    }
    try {
      hook.exit(scope, returned, thrown);
    } catch (Throwable t) {
      failed(kind, t);
    }
  }

  /**
   * {@link #exit} for a method whose result the hook replaces (e.g. a {@code Mono} that ends the
   * transaction when it completes): returns what the caller gets, {@code returned} when unchanged.
   */
  public static Object exitReturning(int kind, Hook hook, Object scope, Object returned, Throwable thrown) {
    if (hook == null || scope == null) {
      return returned;
    }
    try {
      return hook.exitReturning(scope, returned, thrown);
    } catch (Throwable t) {
      failed(kind, t);
      return returned;
    }
  }

  private static void failed(int kind, Throwable t) {
    ERRORS.increment();
    BiConsumer<String, Throwable> sink = errorSink;
    if (sink != null) {
      try {
        sink.accept(WHERE[kind], t);
      } catch (Throwable ignored) {
        // the sink is the agent log; if even that fails, the count above is all that is left
      }
    }
  }
}
