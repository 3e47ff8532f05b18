package io.whatap.javaagent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:whatap-javaagent.jar}: the Premain-Class, loaded by the system class loader.
 * It only appends the jar's top level (the {@code io.whatap.javaagent.bootstrap} package) to the
 * bootstrap class loader's search path and starts the agent in its isolated loader; the agent's
 * classes live in the jar's {@code inst/} folder, out of every application class loader's sight.
 * A failure here leaves the application running unagented, with one line on standard error (the
 * agent log is not configured yet).
 */
public final class WhatapAgent {
  static final String STARTER = "io.whatap.javaagent.bootstrap.AgentStarter";

  private WhatapAgent() { }

  public static void premain(String arguments, Instrumentation instrumentation) {
    try {
      File agentJar = new File(WhatapAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      JarFile jar = new JarFile(agentJar);
      instrumentation.appendToBootstrapClassLoaderSearch(jar);
      // by name through the bootstrap loader: this class's own loader would find the same
      // entries on the system class path and define a second, unshared copy
      Class.forName(STARTER, true, null)
          .getMethod("start", String.class, Instrumentation.class, File.class, JarFile.class)
          .invoke(null, arguments, instrumentation, agentJar, jar);
    } catch (Exception | LinkageError e) {
      System.err.println("[WhaTap] the javaagent could not start; the application runs untraced: " + e);
    }
  }
}
