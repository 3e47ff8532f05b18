package io.whatap.javaagent;

import io.whatap.javaagent.bootstrap.AgentClassLoader;

/**
 * One per copy of a library (a servlet API, a JDBC driver's loader...): its parent is the class
 * loader that defined the library's API, so the adapter code it defines from the agent jar's bytes
 * (e.g. whatap-servlet's classes) links against the application's own copy of that library, while
 * every other {@code io.whatap.} class (whatap-api's core: one agent, one sender per JVM) comes
 * from the agent's loader. The application never sees this loader's classes: nothing in the
 * application delegates to it.
 */
final class AdapterClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final AgentClassLoader agent;
  private final String[] ownPackages;

  /** {@code ownPackages}: prefixes such as {@code "io.whatap.servlet."} defined here, child-first. */
  AdapterClassLoader(ClassLoader library, AgentClassLoader agent, String[] ownPackages) {
    super("whatap-adapter", library);
    this.agent = agent;
    this.ownPackages = ownPackages;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith("io.whatap.")) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        c = owns(name) ? defineAdapterClass(name) : agent.loadClass(name);
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private boolean owns(String name) {
    for (String p : ownPackages) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private Class<?> defineAdapterClass(String name) throws ClassNotFoundException {
    byte[] bytes = agent.classBytes(name);
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length, agent.protectionDomain());
  }

  @Override
  public String toString() {
    return "whatap-adapter(" + getParent() + ")";
  }
}
