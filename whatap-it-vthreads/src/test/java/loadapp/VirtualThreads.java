package loadapp;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK 21+ virtual-thread calls, reached reflectively once: this module compiles for Java 17
 * with the rest of the build and runs its tests on JDK 25. In the application's package, outside
 * {@code io.whatap}, because the load applications start threads with it.
 */
public final class VirtualThreads {
  private static final MethodHandle IS_VIRTUAL = find("isVirtual", MethodType.methodType(boolean.class));
  private static final ThreadFactory FACTORY = virtualThreadFactory();

  private VirtualThreads() { }

  private static MethodHandle find(String name, MethodType type) {
    try {
      return MethodHandles.publicLookup().findVirtual(Thread.class, name, type);
    } catch (NoSuchMethodException | IllegalAccessException e) {
      return null;
    }
  }

  /** Fails the test class at once, saying why, when the test JVM is older than JDK 21. */
  public static void requireSupported() {
    if (IS_VIRTUAL == null) {
      throw new IllegalStateException("these tests need a JDK with virtual threads (they run on JDK 25: see"
          + " whatap-it-vthreads/README.md); this JVM is " + System.getProperty("java.version"));
    }
  }

  public static boolean isVirtual(Thread t) {
    try {
      return IS_VIRTUAL != null && (boolean) IS_VIRTUAL.invokeExact(t);
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts {@code task} on a new virtual thread. */
  public static Thread start(Runnable task) {
    if (FACTORY == null) {
      requireSupported();
    }
    Thread t = FACTORY.newThread(task);
    t.start();
    return t;
  }

  /** {@code Thread.ofVirtual().factory()}, looked up once (a thread-safe factory). */
  private static ThreadFactory virtualThreadFactory() {
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      return (ThreadFactory) Class.forName("java.lang.Thread$Builder").getMethod("factory").invoke(builder);
    } catch (ReflectiveOperationException e) {
      return null;
    }
  }
}
