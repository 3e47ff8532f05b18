package io.whatap.javaagent;

import io.whatap.profiling.MethodProfiler;
import io.whatap.javaagent.bootstrap.Hook;
import io.whatap.javaagent.bootstrap.HookProvider;

/** The method and batch hooks: whatap-api's {@code MethodProfiler}, the same code the library's proxies use. */
final class MethodHooks {
  private MethodHooks() { }

  static final HookProvider METHOD = fixed(new Hook() {
    @Override
    public Object enter(Object self, Object name, Object unused) {
      return MethodProfiler.enter((String) name);
    }

    @Override
    public void exit(Object scope, Object returned, Throwable thrown) {
      MethodProfiler.exit(scope, thrown);
    }
  });

  static final HookProvider BATCH = fixed(new Hook() {
    @Override
    public Object enter(Object self, Object job, Object unused) {
      return MethodProfiler.enterBatch((String) job);
    }

    @Override
    public void exit(Object scope, Object returned, Throwable thrown) {
      MethodProfiler.exit(scope, thrown);
    }
  });

  private static HookProvider fixed(Hook hook) {
    return libraryObject -> hook;
  }
}
