package io.whatap.runtime;

import io.whatap.util.AgentLog;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * One agent per JVM: when this copy of whatap-api is not the javaagent's own (an application
 * bundles it in its WAR or fat jar) and the javaagent runs, this copy starts no runtime of its
 * own and records through the javaagent's {@code io.whatap.javaagent.bootstrap.ApiBridge}
 * instead. Looked up once, when this class initialises (the first call that needs a runtime);
 * {@link #PRESENT} is a constant from then on, so without the javaagent every call pays one
 * folded constant check and nothing else.
 *
 * <p>The bridge's types are JDK types only: a transaction is an opaque handle. The host's methods
 * are bound as method handles in constants (no reflection per call); none throws, and a failure
 * of the bridge itself is logged once and the call records nothing.
 */
public final class Javaagent {
  static final String BRIDGE = "io.whatap.javaagent.bootstrap.ApiBridge";

  /** True when the javaagent runs in this JVM and this copy records through it. */
  public static final boolean PRESENT;
  private static final MethodHandle CURRENT;
  private static final MethodHandle START;
  private static final MethodHandle PROFILE_ENTER;
  private static final MethodHandle BATCH_ENTER;
  private static final MethodHandle PROFILE_EXIT;
  private static final MethodHandle TXID;
  private static final MethodHandle NAME;
  private static final MethodHandle RENAME;
  private static final MethodHandle SQL;
  private static final MethodHandle DB_CONNECT;
  private static final MethodHandle HTTP_CALL;
  private static final MethodHandle MESSAGE;
  private static final MethodHandle METHOD;
  private static final MethodHandle ERROR;
  private static final MethodHandle ERROR_TEXT;
  private static final MethodHandle STATUS;
  private static final MethodHandle END;
  private static final MethodHandle BEFORE_END;
  private static final MethodHandle OUTGOING_HEADERS;
  private static final MethodHandle WRAP_RUNNABLE;
  private static final MethodHandle WRAP_CALLABLE;
  private static final MethodHandle CONFIGURE;
  private static final MethodHandle CONFIGURATION;

  static {
    Binder b = new Binder(host());
    CURRENT = b.bind("current", Object.class);
    START = b.bind("start", Object.class, String.class);
    PROFILE_ENTER = b.bind("profileEnter", Object.class, String.class);
    BATCH_ENTER = b.bind("batchEnter", Object.class, String.class);
    PROFILE_EXIT = b.bind("profileExit", void.class, Object.class, Throwable.class);
    TXID = b.bind("txid", long.class, Object.class);
    NAME = b.bind("name", String.class, Object.class);
    RENAME = b.bind("rename", void.class, Object.class, String.class);
    SQL = b.bind("sql", void.class, Object.class, String.class, String.class, long.class, int.class, int.class);
    DB_CONNECT = b.bind("dbConnect", void.class, Object.class, String.class, long.class, int.class);
    HTTP_CALL = b.bind("httpCall", void.class, Object.class, String.class, long.class, int.class, int.class,
        long.class, String.class);
    MESSAGE = b.bind("message", void.class, Object.class, String.class, String.class, String.class);
    METHOD = b.bind("method", void.class, Object.class, String.class, long.class, int.class);
    ERROR = b.bind("error", void.class, Object.class, Throwable.class);
    ERROR_TEXT = b.bind("errorText", void.class, Object.class, String.class, String.class);
    STATUS = b.bind("status", void.class, Object.class, int.class);
    END = b.bind("end", void.class, Object.class);
    BEFORE_END = b.bind("beforeEnd", void.class, Object.class, Runnable.class);
    OUTGOING_HEADERS = b.bind("outgoingHeaders", long.class, BiConsumer.class);
    WRAP_RUNNABLE = b.bind("wrap", Runnable.class, Runnable.class);
    WRAP_CALLABLE = b.bind("wrap", Callable.class, Callable.class);
    CONFIGURE = b.bind("configure", void.class, Map.class);
    CONFIGURATION = b.bind("configuration", Map.class);
    PRESENT = b.complete();
  }

  private Javaagent() { }

  /** The javaagent's host for this copy, or null: no javaagent, or this copy is the javaagent's own. */
  private static Object host() {
    try {
      Class<?> bridge = Class.forName(BRIDGE, false, null);
      return bridge.getMethod("hostFor", ClassLoader.class).invoke(null, Javaagent.class.getClassLoader());
    } catch (ClassNotFoundException absent) {
      return null;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("javaagent-bridge", "the javaagent runs but its API bridge is not usable; this copy"
          + " of whatap-api runs its own agent", e);
      return null;
    }
  }

  /** Binds the host's methods; when any is missing (a javaagent of another version), none is used. */
  private static final class Binder {
    private final Object host;
    private boolean failed;

    Binder(Object host) {
      this.host = host;
    }

    MethodHandle bind(String name, Class<?> returned, Class<?>... parameters) {
      if (host == null || failed) {
        return null;
      }
      try {
        Class<?> type = Class.forName(BRIDGE + "$Host", false, null);
        return MethodHandles.publicLookup().findVirtual(type, name, MethodType.methodType(returned, parameters))
            .bindTo(host);
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        failed = true;
        AgentLog.get().warnOnce("javaagent-bridge", "the javaagent's API bridge lacks " + name + "; this copy of"
            + " whatap-api runs its own agent", e);
        return null;
      }
    }

    boolean complete() {
      return host != null && !failed;
    }
  }

  private static void failed(String call, Throwable t) {
    AgentLog.get().warnOnce("javaagent-bridge:" + call, "a call through the javaagent's API bridge failed ("
        + call + "); it recorded nothing", t);
  }

  /** The current thread's transaction in the javaagent, or null. */
  public static Object current() {
    try {
      return (Object) CURRENT.invokeExact();
    } catch (Throwable t) {
      failed("current", t);
      return null;
    }
  }

  public static Object start(String name) {
    try {
      return (Object) START.invokeExact(name);
    } catch (Throwable t) {
      failed("start", t);
      return null;
    }
  }

  public static Object profileEnter(String name) {
    try {
      return (Object) PROFILE_ENTER.invokeExact(name);
    } catch (Throwable t) {
      failed("profileEnter", t);
      return null;
    }
  }

  public static Object batchEnter(String job) {
    try {
      return (Object) BATCH_ENTER.invokeExact(job);
    } catch (Throwable t) {
      failed("batchEnter", t);
      return null;
    }
  }

  public static void profileExit(Object scope, Throwable thrown) {
    try {
      PROFILE_EXIT.invokeExact(scope, thrown);
    } catch (Throwable t) {
      failed("profileExit", t);
    }
  }

  public static long txid(Object tx) {
    try {
      return (long) TXID.invokeExact(tx);
    } catch (Throwable t) {
      failed("txid", t);
      return 0;
    }
  }

  public static String name(Object tx) {
    try {
      return (String) NAME.invokeExact(tx);
    } catch (Throwable t) {
      failed("name", t);
      return "";
    }
  }

  public static void rename(Object tx, String name) {
    try {
      RENAME.invokeExact(tx, name);
    } catch (Throwable t) {
      failed("rename", t);
    }
  }

  public static void sql(Object tx, String dbConnection, String sql, long startMillis, int elapsedMs, int fetch) {
    try {
      SQL.invokeExact(tx, dbConnection, sql, startMillis, elapsedMs, fetch);
    } catch (Throwable t) {
      failed("sql", t);
    }
  }

  public static void dbConnect(Object tx, String dbConnection, long startMillis, int elapsedMs) {
    try {
      DB_CONNECT.invokeExact(tx, dbConnection, startMillis, elapsedMs);
    } catch (Throwable t) {
      failed("dbConnect", t);
    }
  }

  public static void httpCall(Object tx, String url, long startMillis, int elapsedMs, int status, long calleeTxid,
      String driver) {
    try {
      HTTP_CALL.invokeExact(tx, url, startMillis, elapsedMs, status, calleeTxid, driver);
    } catch (Throwable t) {
      failed("httpCall", t);
    }
  }

  public static void message(Object tx, String title, String value, String description) {
    try {
      MESSAGE.invokeExact(tx, title, value, description);
    } catch (Throwable t) {
      failed("message", t);
    }
  }

  public static void method(Object tx, String methodName, long startMillis, int elapsedMs) {
    try {
      METHOD.invokeExact(tx, methodName, startMillis, elapsedMs);
    } catch (Throwable t) {
      failed("method", t);
    }
  }

  public static void error(Object tx, Throwable error) {
    try {
      ERROR.invokeExact(tx, error);
    } catch (Throwable t) {
      failed("error", t);
    }
  }

  public static void error(Object tx, String errorClass, String message) {
    try {
      ERROR_TEXT.invokeExact(tx, errorClass, message);
    } catch (Throwable t) {
      failed("errorText", t);
    }
  }

  public static void status(Object tx, int status) {
    try {
      STATUS.invokeExact(tx, status);
    } catch (Throwable t) {
      failed("status", t);
    }
  }

  public static void end(Object tx) {
    try {
      END.invokeExact(tx);
    } catch (Throwable t) {
      failed("end", t);
    }
  }

  public static void beforeEnd(Object tx, Runnable action) {
    try {
      BEFORE_END.invokeExact(tx, action);
    } catch (Throwable t) {
      failed("beforeEnd", t);
    }
  }

  public static long outgoingHeaders(BiConsumer<String, String> headers) {
    try {
      return (long) OUTGOING_HEADERS.invokeExact(headers);
    } catch (Throwable t) {
      failed("outgoingHeaders", t);
      return 0;
    }
  }

  public static Runnable wrap(Runnable task) {
    try {
      return (Runnable) WRAP_RUNNABLE.invokeExact(task);
    } catch (Throwable t) {
      failed("wrap", t);
      return task;
    }
  }

  @SuppressWarnings("unchecked")
  public static <T> Callable<T> wrap(Callable<T> task) {
    try {
      return (Callable<T>) (Callable<?>) WRAP_CALLABLE.invokeExact((Callable) task);
    } catch (Throwable t) {
      failed("wrap", t);
      return task;
    }
  }

  public static void configure(Map<String, String> options) {
    try {
      CONFIGURE.invokeExact((Map) options);
    } catch (Throwable t) {
      failed("configure", t);
    }
  }

  /**
   * The javaagent's configuration in force (whatap.conf keys to values), the same map object until
   * it changes; empty when the bridge fails.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, String> configuration() {
    try {
      return (Map<String, String>) CONFIGURATION.invokeExact();
    } catch (Throwable t) {
      failed("configuration", t);
      return Collections.emptyMap();
    }
  }
}
