package com.acme.boot;

/**
 * Work the reactive endpoint does on other schedulers' threads. No WhaTap code: the IT profiles
 * these methods through {@code hook_method_patterns}, and each step must land in the request's
 * transaction whatever thread runs it. Each answer names its thread.
 */
public final class Lookup {
  private Lookup() { }

  public static String find(String id) {
    return "found " + id + " on " + Thread.currentThread().getName();
  }

  public static String decorate(String found) {
    return found + ", decorated on " + Thread.currentThread().getName();
  }
}
