package io.whatap.javaagent.hooks.jdbc;

import io.whatap.javaagent.bootstrap.Hook;

/**
 * A call into whatap-jdbc's library-mode wrappers (any copy the application carries): they record
 * their own steps, so the driver calls they make are counted as nested in {@link CallDepth} and
 * record nothing: one step per execution, connect included, whether the application wrapped its
 * DataSource or not.
 */
final class LibraryWrapperHook implements Hook {
  static final LibraryWrapperHook INSTANCE = new LibraryWrapperHook();
  private static final Object SCOPE = new Object();

  @Override
  public Object enter(Object self, Object unused, Object unused2) {
    CallDepth.current().depth++;
    return SCOPE;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    CallDepth.current().depth--;
  }
}
