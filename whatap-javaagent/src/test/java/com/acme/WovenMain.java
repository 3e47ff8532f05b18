package com.acme;

import io.whatap.MethodProfiling;
import java.io.IOException;

/**
 * The child JVM of MethodWeavingIT, started with -javaagent:whatap-javaagent.jar and only its own
 * classes on the class path (whatap-api's annotations are compiled in but not needed at run time):
 * calls woven methods inside and outside a transaction and in a batch job, checks that results and
 * exceptions come back unchanged and that none of the agent's classes is visible to it (exit code
 * 0 only if all hold). What was recorded is read by the parent from UDP.
 */
public final class WovenMain {
  private WovenMain() { }

  public static void main(String[] args) throws Exception {
    Service service = new Service();
    Repo repo = new Repo();
    Annotated annotated = new Annotated();
    checkIsolated();
    new WovenMain().outer(service, repo, annotated);
    check(annotated.work(1) == 2, "work's result outside a transaction");
    NightlyJob job = new NightlyJob();
    check(job.run(repo) == 1 && job.run(repo) == 2, "the batch job ran exactly once per call");
    check(repo.saved() == 5 + 1 + 2, "every save ran once");
    System.out.println("woven-main done");
  }

  /** Called outside any transaction: woven, it is the transaction the calls inside record their steps in. */
  @MethodProfiling("woven-outer")
  void outer(Service service, Repo repo, Annotated annotated) {
    check(service.handle("A-1").equals("handled A-1"), "handle's result");
    check(service.other().equals("other"), "other's result");
    check(repo.find(21) == 42, "find's result");
    repo.save(5);
    check(Repo.count() == 7, "count's result");
    check(annotated.work(41) == 42, "work's result");
    try {
      annotated.fail();
      check(false, "fail threw nothing");
    } catch (IOException e) {
      check(e == Annotated.FAILURE, "fail's exception is the original");
    }
  }

  /** The agent's core, its hooks and its Byte Buddy stay in the agent's own class loader. */
  private static void checkIsolated() {
    for (String agentClass : new String[] {"io.whatap.Whatap", "io.whatap.profiling.MethodProfiler",
        "io.whatap.javaagent.AgentInstaller", "io.whatap.javaagent.shaded.bytebuddy.ByteBuddy", "net.bytebuddy.ByteBuddy",
        "io.whatap.servlet.WhatapFilter"}) {
      try {
        Class.forName(agentClass, false, WovenMain.class.getClassLoader());
        check(false, agentClass + " is visible to the application");
      } catch (ClassNotFoundException expected) {
        // isolated
      }
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.out.println("FAILED: " + what);
      System.exit(3);
    }
  }
}
