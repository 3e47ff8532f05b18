package io.whatap.javaagent;

import io.whatap.util.AgentLog;
import io.whatap.javaagent.bootstrap.AgentClassLoader;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.HookProvider;

/**
 * The hooks of one library kind (the servlet API, later JDBC...): one {@link Hook} per copy of
 * the library in the JVM, made by an {@link AdapterClassLoader} whose parent defined that copy's
 * API type. Looked up by the class of the object the advice passes (a request...), through
 * {@link ClassValue}s: after the first call of a class, a lookup is two hash probes, no lock, no
 * allocation; and the caches live and die with the classes they describe (no class loader leak).
 */
public final class LibraryHooks implements HookProvider {
  private final String apiType;
  /** Further types of the same library whose objects also lead to the hook of {@link #apiType}'s copy (e.g. a builder and the client it builds). */
  private final String[] sameLibraryTypes;
  private final String hookClass;
  private final String[] adapterPackages;
  private final AgentClassLoader agent;

  /** Per copy of the API: keyed on the API type itself (e.g. that copy's jakarta.servlet.ServletRequest). */
  private final ClassValue<Hook> byApi = new ClassValue<Hook>() {
    @Override
    protected Hook computeValue(Class<?> api) {
      return makeHook(api);
    }
  };

  /** Per class of passed object: the hook of the API copy it implements, null when it implements none. */
  private final ClassValue<Hook> byClass = new ClassValue<Hook>() {
    @Override
    protected Hook computeValue(Class<?> type) {
      Class<?> api = findApi(type, apiType);
      for (int i = 0; api == null && i < sameLibraryTypes.length; i++) {
        Class<?> other = findApi(type, sameLibraryTypes[i]);
        api = other == null ? null : primaryApi(other);
      }
      return api == null ? null : byApi.get(api);
    }
  };

  /**
   * {@code apiType}: the library type whose defining loader becomes the adapter's parent;
   * {@code hookClass}: the {@link Hook} the adapter loader makes (public no-argument constructor);
   * {@code adapterPackages}: the packages the adapter loader defines itself.
   */
  public LibraryHooks(String apiType, String hookClass, String[] adapterPackages, AgentClassLoader agent) {
    this(apiType, new String[0], hookClass, adapterPackages, agent);
  }

  /**
   * As above, and objects implementing one of {@code sameLibraryTypes} (but not {@code apiType})
   * share the hook of the {@code apiType} their class loader sees: one adapter, so one copy of the
   * adapter's classes, per copy of the library.
   */
  public LibraryHooks(String apiType, String[] sameLibraryTypes, String hookClass, String[] adapterPackages,
      AgentClassLoader agent) {
    this.apiType = apiType;
    this.sameLibraryTypes = sameLibraryTypes;
    this.hookClass = hookClass;
    this.adapterPackages = adapterPackages;
    this.agent = agent;
  }

  @Override
  public Hook hookFor(Object libraryObject) {
    return libraryObject == null ? null : byClass.get(libraryObject.getClass());
  }

  /** The hook for the copy of the library whose API type is {@code api} (a class named as this provider's API type), or null. */
  public Hook hookForApi(Class<?> api) {
    return api == null || !api.getName().equals(apiType) ? null : byApi.get(api);
  }

  private Hook makeHook(Class<?> api) {
    ClassLoader library = api.getClassLoader();
    try {
      AdapterClassLoader loader = new AdapterClassLoader(library, agent, adapterPackages);
      Hook hook = (Hook) Class.forName(hookClass, true, loader).getDeclaredConstructor().newInstance();
      AgentLog.get().info("hooked " + apiType + " of " + library);
      return hook;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // an API version the adapter does not link against: that copy stays untraced
      AgentLog.get().warnOnce("hook:" + hookClass + ":" + library, "cannot hook " + apiType + " of "
          + library + "; its calls are not traced", e);
      return null;
    }
  }

  /** {@link #apiType} as the loader of {@code sameLibrary} (a type of that library) resolves it, or null. */
  private Class<?> primaryApi(Class<?> sameLibrary) {
    try {
      return Class.forName(apiType, false, sameLibrary.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      AgentLog.get().warnOnce("hook:" + apiType + ":" + sameLibrary.getClassLoader(), "cannot hook "
          + sameLibrary.getName() + ": its class loader has no " + apiType + "; its calls are not traced", e);
      return null;
    }
  }

  /** The class named {@code name} among {@code type}'s supertypes, or null. */
  private static Class<?> findApi(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(name)) {
        return c;
      }
      Class<?> found = findInInterfaces(c, name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static Class<?> findInInterfaces(Class<?> type, String name) {
    for (Class<?> i : type.getInterfaces()) {
      if (i.getName().equals(name)) {
        return i;
      }
      Class<?> found = findInInterfaces(i, name);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
