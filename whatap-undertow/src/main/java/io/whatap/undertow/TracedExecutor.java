package io.whatap.undertow;

import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import java.util.concurrent.Executor;

/**
 * The executor an exchange is dispatched to, made to run the dispatched task with the
 * exchange's transaction attached (and detached afterwards: worker threads are pooled).
 */
final class TracedExecutor implements Executor {
  private final Executor delegate;
  private final TraceContext tx;

  TracedExecutor(Executor delegate, TraceContext tx) {
    this.delegate = delegate;
    this.tx = tx;
  }

  @Override
  public void execute(Runnable task) {
    delegate.execute(() -> {
      TraceContext previous = CurrentContext.attach(tx);
      try {
        task.run();
      } finally {
        CurrentContext.restore(previous);
      }
    });
  }
}
