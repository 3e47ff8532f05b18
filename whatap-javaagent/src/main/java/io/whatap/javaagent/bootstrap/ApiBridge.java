package io.whatap.javaagent.bootstrap;

import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Where a copy of whatap-api that the application bundles (in its WAR or fat jar) finds the
 * javaagent, so that a JVM has one agent whatever the application carries: that copy looks this
 * class up through the bootstrap loader when it first needs its runtime and, when {@link #hostFor}
 * answers, starts no runtime of its own (no sender, no counter thread) and records through the
 * {@link Host} instead, into the transactions the javaagent started.
 *
 * <p>Only JDK types cross: a transaction is an opaque handle (the agent's own
 * {@code io.whatap.Transaction}), which the application's copy wraps in its own
 * {@code Transaction} implementation. The copy binds method handles to the host once, so a call
 * costs what an interface call costs, with no reflection per call.
 */
public final class ApiBridge {
  private static volatile Host host;

  private ApiBridge() { }

  /** Installed by the javaagent's installer before any application class runs (premain) or when attached. */
  public static void install(Host h) {
    host = h;
  }

  /**
   * The javaagent's host for the copy of whatap-api whose classes {@code apiLoader} defined, or
   * null: no javaagent started yet, or {@code apiLoader} is the agent's own (its copy is the one
   * the host runs on).
   */
  public static Object hostFor(ClassLoader apiLoader) {
    return apiLoader instanceof AgentClassLoader ? null : host;
  }

  /**
   * What an application's copy of whatap-api calls instead of its own runtime. Implemented over
   * the javaagent's own whatap-api (one sender, one counter thread per JVM); no method throws.
   * A {@code tx} is a handle returned by {@link #current} or {@link #start}, never null.
   */
  public interface Host {
    /** The current thread's transaction (the one the javaagent's hooks attached), or null. */
    Object current();

    /** Starts a transaction attached to this thread ({@code Whatap.startTransaction}), or null. */
    Object start(String name);

    /** {@code MethodProfiler.enter}: a step of the current transaction, or a transaction of its own; null records nothing. */
    Object profileEnter(String name);

    /** {@code MethodProfiler.enterBatch}. */
    Object batchEnter(String job);

    /** {@code MethodProfiler.exit} for a scope of {@link #profileEnter} or {@link #batchEnter}. */
    void profileExit(Object scope, Throwable thrown);

    long txid(Object tx);

    String name(Object tx);

    void rename(Object tx, String name);

    void sql(Object tx, String dbConnection, String sql, long startMillis, int elapsedMs, int fetch);

    void dbConnect(Object tx, String dbConnection, long startMillis, int elapsedMs);

    /** An outgoing HTTP call; {@code driver} may be null. */
    void httpCall(Object tx, String url, long startMillis, int elapsedMs, int status, long calleeTxid, String driver);

    void message(Object tx, String title, String value, String description);

    void method(Object tx, String methodName, long startMillis, int elapsedMs);

    void error(Object tx, Throwable error);

    void errorText(Object tx, String errorClass, String message);

    void status(Object tx, int status);

    void end(Object tx);

    void beforeEnd(Object tx, Runnable action);

    /** {@code Whatap.outgoingHeaders} on the current transaction. */
    long outgoingHeaders(BiConsumer<String, String> headers);

    /** {@code Whatap.wrap(Runnable)}: carries the current transaction. */
    Runnable wrap(Runnable task);

    /** {@code Whatap.wrap(Callable)}. */
    Callable<?> wrap(Callable<?> task);

    /** {@code Whatap.configure}: options for the javaagent's runtime. */
    void configure(Map<String, String> options);

    /** The javaagent's configuration in force (whatap.conf keys to values): the same map until it changes. */
    Map<String, String> configuration();
  }
}
