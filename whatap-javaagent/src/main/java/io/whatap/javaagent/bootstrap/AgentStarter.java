package io.whatap.javaagent.bootstrap;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * Runs in the bootstrap loader once the agent jar's top level is on its path: makes the isolated
 * {@link AgentClassLoader} and hands over to the installer inside it.
 */
public final class AgentStarter {
  static final String INSTALLER = "io.whatap.javaagent.AgentInstaller";

  private AgentStarter() { }

  /** {@code -javaagent}: the installer's {@code install}. */
  public static void start(String arguments, Instrumentation instrumentation, File agentJar, JarFile jar)
      throws ReflectiveOperationException, java.net.MalformedURLException {
    run("install", arguments, instrumentation, agentJar, jar);
  }

  /** {@code --attach}: the installer's {@code installAttached} (classes already loaded are retransformed). */
  public static void attach(String arguments, Instrumentation instrumentation, File agentJar, JarFile jar)
      throws ReflectiveOperationException, java.net.MalformedURLException {
    run("installAttached", arguments, instrumentation, agentJar, jar);
  }

  private static void run(String method, String arguments, Instrumentation instrumentation, File agentJar,
      JarFile jar) throws ReflectiveOperationException, java.net.MalformedURLException {
    AgentClassLoader loader = new AgentClassLoader(jar, agentJar.toURI().toURL());
    Class<?> installer = Class.forName(INSTALLER, true, loader);
    installer.getMethod(method, String.class, Instrumentation.class, AgentClassLoader.class)
        .invoke(null, arguments, instrumentation, loader);
  }
}
