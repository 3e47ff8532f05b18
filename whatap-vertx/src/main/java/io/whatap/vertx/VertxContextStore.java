package io.whatap.vertx;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.spi.context.storage.ContextLocal;
import io.whatap.spi.HttpServerTracing;
import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Keeps each request's transaction in the Vert.x context the request runs on. Vert.x serves
 * every HTTP request on a duplicated context of its own and runs that request's timers,
 * blocking tasks and future callbacks on it, so the value is per request and never seen by
 * another one; it goes away with the context.
 *
 * <p>Vert.x decides which of two public mechanisms works: a {@link ContextLocal} (Vert.x 4.5
 * and 5), whose slot exists only in Vert.x instances created after this class registered it,
 * and the context's local map ({@code Context.putLocal(Object, Object)}, Vert.x 4 only; found
 * reflectively so that the same sources build and run on Vert.x 5). The first Vert.x probed
 * sets the mode for the JVM: an application has one Vert.x as a rule.
 */
final class VertxContextStore {
  static final int UNKNOWN = 0;
  static final int CONTEXT_LOCAL = 1;
  static final int LOCAL_MAP = 2;
  static final int NONE = 3;

  private static final ContextLocal<TraceContext> LOCAL = ContextLocal.registerLocal(TraceContext.class);
  private static final Object LOCAL_MAP_KEY = "io.whatap.vertx.transaction";
  private static final MethodHandle GET_LOCAL =
      contextMethod("getLocal", MethodType.methodType(Object.class, Object.class));
  private static final MethodHandle PUT_LOCAL =
      contextMethod("putLocal", MethodType.methodType(void.class, Object.class, Object.class));
  private static volatile int mode = UNKNOWN;

  static {
    CurrentContext.addLookup(VertxContextStore::current);
  }

  private VertxContextStore() { }

  private static MethodHandle contextMethod(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(Context.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException vertx5) {
      return null;
    }
  }

  /** Loads this class: registers the context slot and the lookup behind {@code Whatap.currentTransaction()}. */
  static void init() {
    // the static initializer does the work
  }

  static int mode() {
    return mode;
  }

  /** Sets how contexts are read and written; for tests that exercise each mechanism. */
  static void mode(int m) {
    mode = m;
  }

  /** Decides, once, how the Vert.x that owns {@code context} keeps per-request values. Never throws. */
  static int probe(Context context) {
    int m = mode;
    if (m != UNKNOWN || context == null) {
      return m;
    }
    m = detect(context);
    mode = m;
    if (m == NONE) {
      HttpServerTracing.failure("vertx-context-slot",
          "Vert.x was created before the WhaTap context slot was registered: timers, executeBlocking tasks and"
              + " future callbacks do not see the request's transaction; call WhatapVertx.init() before creating"
              + " Vert.x", null);
    }
    return m;
  }

  private static int detect(Context context) {
    try {
      LOCAL.get(context);
      return CONTEXT_LOCAL;
    } catch (RuntimeException slotMissing) {
      if (GET_LOCAL == null || PUT_LOCAL == null) {
        return NONE;
      }
      try {
        Object ignored = (Object) GET_LOCAL.invokeExact(context, LOCAL_MAP_KEY);
        return LOCAL_MAP;
      } catch (Throwable noLocalMap) {
        return NONE;
      }
    }
  }

  /** Stores {@code tx} on {@code context}. Never throws. */
  static void put(Context context, TraceContext tx) {
    int m = probe(context);
    try {
      if (m == CONTEXT_LOCAL) {
        LOCAL.put(context, tx);
      } else if (m == LOCAL_MAP) {
        PUT_LOCAL.invokeExact(context, LOCAL_MAP_KEY, (Object) tx);
      }
    } catch (Throwable e) {
      HttpServerTracing.failure("vertx-context-put", "could not keep a transaction in its Vert.x context", e);
    }
  }

  /** The transaction stored on {@code context}, ended or not, or null. Never throws. */
  static TraceContext get(Context context) {
    int m = mode;
    try {
      if (m == CONTEXT_LOCAL) {
        return LOCAL.get(context);
      }
      if (m == LOCAL_MAP) {
        Object tx = (Object) GET_LOCAL.invokeExact(context, LOCAL_MAP_KEY);
        return tx instanceof TraceContext ? (TraceContext) tx : null;
      }
    } catch (Throwable otherInstance) {
      // a context of a second Vert.x that keeps values the other way: nothing of ours is there
    }
    return null;
  }

  /** The running transaction of the request whose Vert.x context the calling thread is on, or null. */
  static TraceContext current() {
    Context context = Vertx.currentContext();
    if (context == null) {
      return null;
    }
    TraceContext tx = get(context);
    return tx == null || tx.isEnded() ? null : tx;
  }
}
