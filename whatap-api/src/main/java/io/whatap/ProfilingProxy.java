package io.whatap;

import io.whatap.profiling.MethodProfiler;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;

/**
 * The handler behind {@code Whatap.profile(instance, Interface.class)}: every method of the
 * interface goes to the instance; those annotated with {@link MethodProfiling} or
 * {@link BatchProfiling} (on the interface's method or on the implementation's) are recorded
 * through {@link MethodProfiler}. Which methods are profiled, and under what name, is decided
 * once when the proxy is made.
 */
final class ProfilingProxy implements InvocationHandler {
  private final Object target;
  private final Class<?> type;
  private final Map<Method, Call> calls;

  /** How one interface method is called: an accessible Method, and its profile name (null: not profiled). */
  private static final class Call {
    final Method method;
    final String name;
    final boolean batch;

    Call(Method method, String name, boolean batch) {
      this.method = method;
      this.name = name;
      this.batch = batch;
    }
  }

  private ProfilingProxy(Object target, Class<?> type, Map<Method, Call> calls) {
    this.target = target;
    this.type = type;
    this.calls = calls;
  }

  /**
   * A proxy of {@code type} over {@code target}, or {@code target} itself when no method of
   * {@code type} is profiled or {@code target} already is such a proxy.
   */
  static <T> T create(T target, Class<T> type) {
    if (Proxy.isProxyClass(target.getClass())) {
      InvocationHandler h = Proxy.getInvocationHandler(target);
      if (h instanceof ProfilingProxy && ((ProfilingProxy) h).type == type) {
        return target;
      }
    }
    Map<Method, Call> calls = new HashMap<>();
    boolean anyProfiled = false;
    for (Method m : type.getMethods()) {
      if (Modifier.isStatic(m.getModifiers())) {
        continue;
      }
      Call call = plan(m, implementation(target.getClass(), m));
      try {
        m.setAccessible(true); // a non-public interface: the proxy class lives in its package, we do not
      } catch (RuntimeException e) {
        // not opened to us: the normal access check applies, which public interfaces pass
      }
      calls.put(m, call);
      anyProfiled |= call.name != null;
    }
    if (!anyProfiled) {
      return target;
    }
    ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : target.getClass().getClassLoader();
    return type.cast(Proxy.newProxyInstance(loader, new Class<?>[] {type}, new ProfilingProxy(target, type, calls)));
  }

  private static Method implementation(Class<?> cls, Method m) {
    try {
      return cls.getMethod(m.getName(), m.getParameterTypes());
    } catch (NoSuchMethodException | SecurityException e) {
      return null;
    }
  }

  /** The implementation's annotation wins over the interface's: it is the more specific declaration. */
  private static Call plan(Method m, Method impl) {
    for (Method source : new Method[] {impl, m}) {
      if (source == null) {
        continue;
      }
      BatchProfiling batch = source.getAnnotation(BatchProfiling.class);
      if (batch != null) {
        return new Call(m, name(batch.value(), source), true);
      }
      MethodProfiling profiled = source.getAnnotation(MethodProfiling.class);
      if (profiled != null) {
        return new Call(m, name(profiled.value(), source), false);
      }
    }
    return new Call(m, null, false);
  }

  private static String name(String value, Method source) {
    return value.isEmpty() ? source.getDeclaringClass().getName() + "." + source.getName() : value;
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Call call = calls.get(method);
    if (call == null) {
      return objectMethod(proxy, method, args);
    }
    if (call.name == null) {
      return invokeTarget(call.method, args);
    }
    Object scope = call.batch ? MethodProfiler.enterBatch(call.name) : MethodProfiler.enter(call.name);
    Throwable thrown = null;
    try {
      return invokeTarget(call.method, args);
    } catch (Throwable t) {
      thrown = t;
      throw t;
    } finally {
      MethodProfiler.exit(scope, thrown);
    }
  }

  private Object invokeTarget(Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause(); // the instance's own exception, unchanged
    }
  }

  /** equals, hashCode and toString: a proxy equals itself and whatever its instance equals. */
  private Object objectMethod(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("equals") && args != null && args.length == 1) {
      return proxy == args[0] || target.equals(args[0]);
    }
    return invokeTarget(method, args);
  }

  @Override
  public String toString() {
    return "ProfilingProxy{" + type.getName() + " -> " + target.getClass().getName() + "}";
  }
}
