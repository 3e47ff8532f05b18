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

  public static void start(String arguments, Instrumentation instrumentation, File agentJar, JarFile jar)
      throws ReflectiveOperationException, java.net.MalformedURLException {
    AgentClassLoader loader = new AgentClassLoader(jar, agentJar.toURI().toURL());
    Class<?> installer = Class.forName(INSTALLER, true, loader);
    installer.getMethod("install", String.class, Instrumentation.class, AgentClassLoader.class)
        .invoke(null, arguments, instrumentation, loader);
  }
}
