package com.acme;

import io.whatap.Whatap;
import java.io.IOException;

/**
 * The child JVM of WeaverIT, started with -javaagent:whatap-weaver.jar: calls woven methods inside
 * and outside a transaction and in a batch job, and checks that results and exceptions come back
 * unchanged (exit code 0 only if they do). What was recorded is read by the parent from UDP.
 */
public final class WovenMain {
  private WovenMain() { }

  public static void main(String[] args) throws Exception {
    Service service = new Service();
    Repo repo = new Repo();
    Annotated annotated = new Annotated();
    Whatap.transaction("woven-outer", () -> {
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
      return null;
    });
    check(annotated.work(1) == 2, "work's result outside a transaction");
    NightlyJob job = new NightlyJob();
    check(job.run(repo) == 1 && job.run(repo) == 2, "the batch job ran exactly once per call");
    check(repo.saved() == 5 + 1 + 2, "every save ran once");
    System.out.println("woven-main done");
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      System.out.println("FAILED: " + what);
      System.exit(3);
    }
  }
}
