package io.whatap.javaagent.bootstrap;

/** Finds the {@link Hook} for a call: one per kind of call, installed in {@link Bridge} at start. */
public interface HookProvider {
  /**
   * The hook for a call on or with {@code libraryObject} (a request, a statement...: its class
   * tells which copy of the library is in use), or null when the call is not traced.
   */
  Hook hookFor(Object libraryObject);
}
