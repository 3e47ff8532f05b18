package com.acme;

import io.whatap.MethodProfiling;
import java.io.IOException;

/** Woven for its annotations, with no interface and no proxy. */
public class Annotated {
  public static final IOException FAILURE = new IOException("woven failure");

  @MethodProfiling("annotated.work")
  public long work(long n) {
    return n + 1;
  }

  @MethodProfiling
  public void fail() throws IOException {
    throw FAILURE;
  }
}
