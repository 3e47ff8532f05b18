package io.whatap;

import io.whatap.http.Propagation;
import io.whatap.runtime.Agent;
import io.whatap.runtime.Javaagent;
import io.whatap.util.AgentLog;
import io.whatap.profiling.MethodProfiler;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import io.whatap.spi.AppWrapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The application's entry point to the agent. Nothing here throws because of the agent: when
 * the agent fails inside, the failure is counted and logged to the agent log, and the
 * application's own code still runs exactly once with its result or exception unchanged.
 *
 * <p>Under {@code -javaagent:whatap-javaagent.jar}, an application's own copy of this class
 * records into the javaagent's transactions and starts no agent of its own ({@link Javaagent}:
 * one agent per JVM); without the javaagent, that check is one constant.
 */
public final class Whatap {
  private Whatap() { }

  /** Sets options in code, above whatap.conf and below WHATAP_* variables and -Dwhatap.* properties. */
  public static void configure(Map<String, String> options) {
    if (Javaagent.PRESENT) {
      Javaagent.configure(options);
      return;
    }
    try {
      Agent.get().configure(options);
    } catch (RuntimeException e) {
      AgentLog.get().warnOnce("configure", "Whatap.configure failed", e);
    }
  }

  /**
   * Returns a traced handler of the same type as {@code handler}, for every handler type that a
   * module on the class path knows (Vert.x {@code Handler<RoutingContext>}, Undertow
   * {@code HttpHandler}, Jakarta {@code Servlet}, the WSGI-style app, the JDK's
   * {@code com.sun.net.httpserver.HttpHandler}, ...). Wrapping a traced handler again returns it
   * unchanged.
   *
   * @throws IllegalArgumentException at once when no module knows the handler's type; the message
   *     names the handler's class and the supported types
   */
  @SuppressWarnings("unchecked")
  public static <T> T registerApp(T handler) {
    if (handler == null) {
      throw new IllegalArgumentException("Whatap.registerApp(null): pass the handler to trace");
    }
    List<String> supported = new ArrayList<>();
    for (AppWrapper w : wrappers()) {
      boolean supports;
      try {
        supports = w.supports(handler);
      } catch (RuntimeException | LinkageError e) {
        AgentLog.get().warnOnce("app-wrapper-supports:" + w.getClass().getName(), w.getClass().getName()
            + ".supports failed; skipping that module", e);
        continue;
      }
      if (supports) {
        try {
          return (T) w.wrap(handler);
        } catch (RuntimeException | LinkageError e) {
          AgentLog.get().warnOnce("app-wrapper-wrap:" + w.getClass().getName(), "could not trace a "
              + handler.getClass().getName() + " with " + w.getClass().getName() + "; it runs untraced", e);
          return handler;
        }
      }
      supported.add(w.supportedType());
    }
    throw new IllegalArgumentException("Whatap.registerApp cannot trace a " + handler.getClass().getName()
        + ": the supported handler types on this class path are " + supported
        + " (add the whatap-servlet, whatap-vertx, whatap-undertow or whatap-wsgi-compat module for more)");
  }

  /** Traces each call of {@code work} as one transaction named {@code name}. */
  public static Runnable registerApp(String name, Runnable work) {
    return () -> transaction(name, work);
  }

  /** Traces each call of {@code work} as one transaction named {@code name}. */
  public static <T> Callable<T> registerApp(String name, Callable<T> work) {
    return () -> transaction(name, work);
  }

  /** Traces each call of {@code work} as one transaction named {@code name}. */
  public static <A, R> java.util.function.Function<A, R> registerApp(String name,
      java.util.function.Function<A, R> work) {
    if (Javaagent.PRESENT) {
      return a -> {
        Transaction tx = startTransaction(name);
        try {
          return work.apply(a);
        } catch (RuntimeException | Error e) {
          tx.error(e);
          throw e;
        } finally {
          tx.end();
        }
      };
    }
    return a -> {
      TraceContext tx = startContext(name);
      try {
        return work.apply(a);
      } catch (RuntimeException | Error e) {
        if (tx != null) {
          tx.error(e);
        }
        throw e;
      } finally {
        if (tx != null) {
          tx.end();
        }
      }
    };
  }

  private static volatile List<AppWrapper> wrappers;

  private static List<AppWrapper> wrappers() {
    List<AppWrapper> w = wrappers;
    if (w == null) {
      w = new ArrayList<>();
      load(ServiceLoader.load(AppWrapper.class, Whatap.class.getClassLoader()), w);
      ClassLoader tccl = Thread.currentThread().getContextClassLoader();
      if (tccl != null && tccl != Whatap.class.getClassLoader()) {
        load(ServiceLoader.load(AppWrapper.class, tccl), w);
      }
      wrappers = w;
    }
    return w;
  }

  /** Adds each provider once; a module that cannot load here (missing framework classes) is skipped and logged. */
  static void load(ServiceLoader<AppWrapper> loader, List<AppWrapper> into) {
    Iterator<AppWrapper> it = loader.iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          return;
        }
      } catch (ServiceConfigurationError | LinkageError e) {
        AgentLog.get().warnOnce("app-wrapper-load", "the AppWrapper list could not be read", e);
        return;
      }
      AppWrapper a;
      try {
        a = it.next();
      } catch (ServiceConfigurationError | LinkageError e) {
        AgentLog.get().warnOnce("app-wrapper-load", "an AppWrapper module could not be loaded; registerApp"
            + " will not know its handler type", e);
        continue;
      }
      boolean known = false;
      for (AppWrapper b : into) {
        known |= b.getClass() == a.getClass();
      }
      if (!known) {
        into.add(a);
      }
    }
  }

  /** Starts a transaction and makes it current on this thread; call {@link Transaction#end()} when done. */
  public static Transaction startTransaction(String name) {
    if (Javaagent.PRESENT) {
      return BridgedTransaction.of(Javaagent.start(name));
    }
    TraceContext ctx = startContext(name);
    return view(ctx);
  }

  /** Starts a transaction attached to this thread; null (logged once) when the agent cannot. */
  private static TraceContext startContext(String name) {
    try {
      return Agent.get().tracer.startAttached(name);
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("start-transaction", "startTransaction failed; running untraced", e);
      return null;
    }
  }

  /**
   * The API view of a transaction an adapter holds (the {@link TraceContext} its handler started),
   * for adapter methods that hand the request's transaction to application code;
   * {@link Transaction#NOOP} for null.
   */
  public static Transaction asTransaction(TraceContext ctx) {
    return view(ctx);
  }

  /** The current thread's transaction, or {@link Transaction#NOOP} (never null). */
  public static Transaction currentTransaction() {
    if (Javaagent.PRESENT) {
      // the javaagent's transaction; else one this copy's own handler-based adapters started
      Object handle = Javaagent.current();
      if (handle != null) {
        return BridgedTransaction.of(handle);
      }
    }
    return view(CurrentContext.get());
  }

  /** The one {@link ActiveTransaction} of {@code c}, made at the first request (no allocation after it). */
  private static Transaction view(TraceContext c) {
    if (c == null) {
      return Transaction.NOOP;
    }
    Object view = c.apiView();
    if (view instanceof ActiveTransaction) {
      return (ActiveTransaction) view;
    }
    ActiveTransaction made = new ActiveTransaction(c);
    c.apiView(made);
    return made;
  }

  /** Runs {@code work} as one transaction named {@code name}; its result and exception pass through unchanged. */
  public static <T> T transaction(String name, Callable<T> work) throws Exception {
    if (Javaagent.PRESENT) {
      Transaction bridged = startTransaction(name);
      try {
        return work.call();
      } catch (Exception | Error e) {
        bridged.error(e);
        throw e;
      } finally {
        bridged.end();
      }
    }
    TraceContext tx = startContext(name);
    try {
      return work.call();
    } catch (Exception | Error e) {
      if (tx != null) {
        tx.error(e);
      }
      throw e;
    } finally {
      if (tx != null) {
        tx.end();
      }
    }
  }

  /** Runs {@code work} as one transaction named {@code name}. */
  public static void transaction(String name, Runnable work) {
    if (Javaagent.PRESENT) {
      Transaction bridged = startTransaction(name);
      try {
        work.run();
      } catch (RuntimeException | Error e) {
        bridged.error(e);
        throw e;
      } finally {
        bridged.end();
      }
      return;
    }
    TraceContext tx = startContext(name);
    try {
      work.run();
    } catch (RuntimeException | Error e) {
      if (tx != null) {
        tx.error(e);
      }
      throw e;
    } finally {
      if (tx != null) {
        tx.end();
      }
    }
  }

  /**
   * Runs {@code work} as a method step named {@code name} of the current transaction; outside
   * any transaction it is a transaction of its own (unless method_profiling_outside_transaction=false).
   * The result and exception pass through unchanged; an exception is recorded as the transaction's error.
   */
  public static <T> T profile(String name, Callable<T> work) throws Exception {
    return callIn(MethodProfiler.enter(name), work);
  }

  /** Runs {@code work} inside a profiling scope, closing it with what {@code work} threw. */
  private static <T> T callIn(Object scope, Callable<T> work) throws Exception {
    Throwable thrown = null;
    try {
      return work.call();
    } catch (Exception | Error e) {
      thrown = e;
      throw e;
    } finally {
      MethodProfiler.exit(scope, thrown);
    }
  }

  /**
   * Returns {@code instance} behind a proxy of {@code type} that profiles the methods annotated
   * with {@link MethodProfiling} or {@link BatchProfiling}, on the interface or on the
   * implementation (as {@link #profile(String, Callable)} and {@link #batch(String, Callable)} do);
   * other methods go straight to {@code instance}. Returns {@code instance} itself when nothing is
   * annotated or it already is such a proxy. For classes without an interface, use the weaver
   * ({@code -javaagent:whatap-javaagent.jar}).
   *
   * @throws IllegalArgumentException when {@code type} is not an interface or {@code instance} does not implement it
   */
  public static <T> T profile(T instance, Class<T> type) {
    if (instance == null || type == null) {
      throw new IllegalArgumentException("Whatap.profile(instance, type): both are required");
    }
    if (!type.isInterface()) {
      throw new IllegalArgumentException("Whatap.profile(instance, " + type.getName() + "): " + type.getName()
          + " is not an interface; profile through an interface it implements, or weave the class with"
          + " -javaagent:whatap-javaagent.jar");
    }
    if (!type.isInstance(instance)) {
      throw new IllegalArgumentException("Whatap.profile: a " + instance.getClass().getName()
          + " is not a " + type.getName());
    }
    try {
      return ProfilingProxy.create(instance, type);
    } catch (RuntimeException | Error e) {
      AgentLog.get().warnOnce("profile-proxy", "could not make a profiling proxy for " + type.getName()
          + "; the instance runs unprofiled", e);
      return instance;
    }
  }

  /**
   * Runs {@code job} once as one run of the batch job {@code name}: a transaction sent to the
   * batch agent (the one {@code bin/whatap-start-batch} starts with {@code WHATAP_BATCH_HOME}),
   * with the steps the job records, its elapsed time and its error. The job runs exactly once
   * whatever it returns, also when the batch agent is absent (the agent log then says, once, how
   * to start it); its result and exception pass through unchanged.
   */
  public static <T> T batch(String name, Callable<T> job) throws Exception {
    return callIn(MethodProfiler.enterBatch(name), job);
  }

  /** Runs {@code job} once as one run of the batch job {@code name} (see {@link #batch(String, Callable)}). */
  public static void batch(String name, Runnable job) {
    Object scope = MethodProfiler.enterBatch(name);
    Throwable thrown = null;
    try {
      job.run();
    } catch (RuntimeException | Error e) {
      thrown = e;
      throw e;
    } finally {
      MethodProfiler.exit(scope, thrown);
    }
  }

  /** Records an SQL step on the current transaction. */
  public static void sql(String dbConnection, String sql, long startMillis, int elapsedMs) {
    if (Javaagent.PRESENT) {
      currentTransaction().sql(dbConnection, sql, startMillis, elapsedMs, -1);
      return;
    }
    TraceContext c = CurrentContext.get();
    if (c != null) {
      c.sql(dbConnection, sql, startMillis, elapsedMs, -1);
    }
  }

  /** Records an outgoing HTTP call on the current transaction. */
  public static void httpCall(String url, long startMillis, int elapsedMs, int status) {
    if (Javaagent.PRESENT) {
      currentTransaction().httpCall(url, startMillis, elapsedMs, status);
      return;
    }
    TraceContext c = CurrentContext.get();
    if (c != null) {
      c.httpCall(url, startMillis, elapsedMs, status);
    }
  }

  /** Records an outgoing HTTP call that carried {@link #outgoingHeaders}; {@code calleeTxid} is what that returned. */
  public static void httpCall(String url, long startMillis, int elapsedMs, int status, long calleeTxid) {
    if (Javaagent.PRESENT) {
      currentTransaction().httpCall(url, startMillis, elapsedMs, status, calleeTxid);
      return;
    }
    TraceContext c = CurrentContext.get();
    if (c != null) {
      c.httpCall(url, startMillis, elapsedMs, status, calleeTxid);
    }
  }

  /**
   * Records an outgoing HTTP call on {@code tx} (not necessarily the current thread's: a client
   * may complete on its own thread), naming the client library ({@code driver}, e.g. "okhttp").
   * {@code calleeTxid} is what {@link #outgoingHeaders} returned for that call, 0 when none.
   * What the HTTP-client hooks record through; also for hand-written hooks.
   */
  public static void httpCall(Transaction tx, String url, long startMillis, int elapsedMs, int status,
      long calleeTxid, String driver) {
    if (tx instanceof ActiveTransaction) {
      ((ActiveTransaction) tx).ctx.httpCall(url, startMillis, elapsedMs, status, calleeTxid, driver);
    } else if (tx instanceof BridgedTransaction) {
      Javaagent.httpCall(((BridgedTransaction) tx).handle, url, startMillis, elapsedMs, status, calleeTxid, driver);
    } else if (tx != null) {
      tx.httpCall(url, startMillis, elapsedMs, status, calleeTxid);
    }
  }

  /**
   * {@code client} traced: each {@code send} and {@code sendAsync} made while a transaction is
   * current records a TX_HTTPC step on it (URL without query, elapsed, status, the callee's txid)
   * and carries the multi-transaction headers; a failure (connect refused, timeout) is also the
   * transaction's error, and the application gets exactly the response or exception it would
   * have had. Wrapping a traced client again returns it unchanged.
   */
  public static java.net.http.HttpClient httpClient(java.net.http.HttpClient client) {
    if (client == null) {
      throw new IllegalArgumentException("Whatap.httpClient(null): pass the HttpClient to trace");
    }
    if (Javaagent.PRESENT) {
      return client; // the javaagent wraps every client the JDK builds: wrapping here would record each call twice
    }
    return io.whatap.jdkhttp.TracedHttpClient.wrap(client);
  }

  /** Records a message step on the current transaction. */
  public static void message(String title, String value, String description) {
    if (Javaagent.PRESENT) {
      currentTransaction().message(title, value, description);
      return;
    }
    TraceContext c = CurrentContext.get();
    if (c != null) {
      c.message(title, value, description);
    }
  }

  /** Records an error on the current transaction. */
  public static void error(Throwable t) {
    if (Javaagent.PRESENT) {
      currentTransaction().error(t);
      return;
    }
    TraceContext c = CurrentContext.get();
    if (c != null) {
      c.error(t);
    }
  }

  /**
   * Writes the multi-transaction headers an outgoing HTTP call should carry (x-wtap-* by default,
   * and W3C {@code traceparent} with the same mtid and the callee txid as its span id)
   * and returns the txid assigned to the callee, to pass to the TX_HTTPC step; 0 when none.
   */
  public static long outgoingHeaders(BiConsumer<String, String> headers) {
    TraceContext c = CurrentContext.get();
    if (c == null) {
      return Javaagent.PRESENT ? Javaagent.outgoingHeaders(headers) : 0;
    }
    try {
      return Propagation.writeOutgoing(Agent.get().tracer, c, headers);
    } catch (RuntimeException e) {
      AgentLog.get().warnOnce("outgoing-headers", "could not write multi-transaction headers", e);
      return 0;
    }
  }

  /** A Runnable that runs {@code task} with this thread's current transaction, on whatever thread runs it. */
  public static Runnable wrap(Runnable task) {
    TraceContext captured = CurrentContext.get();
    if (captured == null) {
      return Javaagent.PRESENT ? Javaagent.wrap(task) : task;
    }
    return CurrentContext.wrap(captured, task);
  }

  /** A Callable that runs {@code task} with this thread's current transaction. */
  public static <T> Callable<T> wrap(Callable<T> task) {
    TraceContext captured = CurrentContext.get();
    if (captured == null) {
      return Javaagent.PRESENT ? Javaagent.wrap(task) : task;
    }
    return CurrentContext.wrap(captured, task);
  }
}
