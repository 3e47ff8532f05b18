package com.acme;

import io.whatap.BatchProfiling;

/** A batch job woven by the weaver. */
public class NightlyJob {
  private int runs;

  @BatchProfiling("nightly-job")
  public int run(Repo repo) {
    runs++;
    repo.save(runs);
    return runs;
  }
}
