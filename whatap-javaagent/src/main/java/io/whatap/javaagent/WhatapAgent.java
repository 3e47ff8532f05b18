package io.whatap.javaagent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * {@code -javaagent:whatap-javaagent.jar}: the Premain-Class (and Agent-Class, for
 * {@code java -jar whatap-javaagent.jar --attach PID}), loaded by the system class loader. It only
 * appends the jar's top level (the {@code io.whatap.javaagent.bootstrap} package) to the bootstrap
 * class loader's search path and starts the agent in its isolated loader; the agent's classes live
 * in the jar's {@code inst/} folder, out of every application class loader's sight. A failure here
 * leaves the application running unagented, with one line on standard error (the agent log is not
 * configured yet).
 */
public final class WhatapAgent {
  static final String STARTER = "io.whatap.javaagent.bootstrap.AgentStarter";
  static final String USAGE = "usage: java -jar whatap-javaagent.jar --attach <pid>\n"
      + "  loads the WhaTap javaagent into the running JVM <pid> (same user; a JDK, not a bare JRE, runs this"
      + " command). The agent reads whatap.conf, WHATAP_* and -Dwhatap.* of that JVM.";

  private WhatapAgent() { }

  public static void premain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation, false);
  }

  /**
   * Loaded into a running JVM ({@code --attach}): the same start, and classes that JVM loaded
   * already are retransformed where the hooks allow. Attaching twice starts nothing the second time.
   */
  public static void agentmain(String arguments, Instrumentation instrumentation) {
    start(arguments, instrumentation, true);
  }

  private static void start(String arguments, Instrumentation instrumentation, boolean attached) {
    try {
      if (alreadyStarted()) {
        System.err.println("[WhaTap] the javaagent runs in this JVM already; not started again");
        return;
      }
      File agentJar = new File(WhatapAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      JarFile jar = new JarFile(agentJar);
      instrumentation.appendToBootstrapClassLoaderSearch(jar);
      // by name through the bootstrap loader: this class's own loader would find the same
      // entries on the system class path and define a second, unshared copy
      Class.forName(STARTER, true, null)
          .getMethod(attached ? "attach" : "start", String.class, Instrumentation.class, File.class, JarFile.class)
          .invoke(null, arguments, instrumentation, agentJar, jar);
    } catch (Exception | LinkageError e) {
      System.err.println("[WhaTap] the javaagent could not start; the application runs untraced: " + e);
    }
  }

  /** True when a whatap-javaagent jar already put its bootstrap package on this JVM's bootstrap path. */
  private static boolean alreadyStarted() {
    try {
      Class.forName(STARTER, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** {@code java -jar whatap-javaagent.jar --attach <pid>}: loads this jar as an agent into a running JVM. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !args[0].equals("--attach") || !args[1].matches("[0-9]+")) {
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    File agentJar = new File(WhatapAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try {
      Attacher.attach(args[1], agentJar.getAbsolutePath());
    } catch (NoClassDefFoundError e) {
      System.err.println("[WhaTap] the Attach API (module jdk.attach) is missing from this Java runtime;"
          + " run the command with a JDK's java");
      System.exit(1);
      return;
    }
    System.out.println("[WhaTap] javaagent loaded into JVM " + args[1] + "; its agent log tells what it instruments");
  }
}
