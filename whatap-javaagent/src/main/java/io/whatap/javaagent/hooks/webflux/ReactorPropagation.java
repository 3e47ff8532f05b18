package io.whatap.javaagent.hooks.webflux;

import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import io.whatap.util.AgentLog;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * A WebFlux request's transaction follows its reactive pipeline onto other threads, so that steps
 * recorded inside operators (a {@code hook_method_patterns} method called in a {@code map} after
 * {@code publishOn}, a {@code fromCallable} on {@code Schedulers.boundedElastic()}) land in it:
 *
 * <ul>
 *   <li>the request's {@code Mono} carries the transaction in its Reactor {@code Context} and is
 *       subscribed with it attached ({@link #attach}), so work scheduled while subscribing
 *       ({@code subscribeOn}) is scheduled from a thread where it is current;
 *   <li>{@code Hooks.onEachOperator}: each operator's subscriber in such a pipeline attaches it
 *       around every signal ({@code onNext}, {@code onError}, {@code onComplete}, {@code request},
 *       {@code cancel}), whatever thread delivers the signal;
 *   <li>{@code Schedulers.onScheduleHook}: a task scheduled on any Reactor scheduler while a
 *       transaction is current runs with it attached ({@code publishOn}, {@code subscribeOn},
 *       {@code delay}...).
 * </ul>
 *
 * The hooks are installed once per copy of reactor-core, when the first WebFlux request is traced;
 * operators assembled before then are not lifted. A pipeline without a transaction in its context
 * gets its subscribers back unchanged.
 */
final class ReactorPropagation {
  /** The Reactor Context key of the request's transaction (this class: no application key equals it). */
  static final Object KEY = ReactorPropagation.class;
  private static final String HOOK_KEY = "io.whatap.javaagent";
  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  private ReactorPropagation() { }

  /** Installs the operator and schedule hooks, once; a failure leaves propagation off, named in the agent log. */
  static void install() {
    if (!INSTALLED.compareAndSet(false, true)) {
      return;
    }
    try {
      // scalar sources (Mono.just) are read at assembly, never subscribed through a lifted operator
      Hooks.onEachOperator(HOOK_KEY, Operators.<Object>lift(operator -> !(operator instanceof Fuseable.ScalarCallable),
          (operator, subscriber) -> lift(subscriber)));
      Schedulers.onScheduleHook(HOOK_KEY, ReactorPropagation::onSchedule);
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("reactor-hooks", "could not install the Reactor hooks; steps recorded on other"
          + " threads of a WebFlux request are not joined to its transaction", e);
    }
  }

  /** {@code mono} with {@code tx} in its Context, subscribed with {@code tx} attached. */
  static <T> Mono<T> attach(Mono<T> mono, TraceContext tx) {
    return new Attached<>(mono.contextWrite(Context.of(KEY, tx)), tx);
  }

  private static <T> CoreSubscriber<T> lift(CoreSubscriber<T> subscriber) {
    if (subscriber instanceof Signals) {
      return subscriber;
    }
    Object tx = subscriber.currentContext().getOrDefault(KEY, null);
    return tx instanceof TraceContext ? new Signals<>(subscriber, (TraceContext) tx) : subscriber;
  }

  private static Runnable onSchedule(Runnable task) {
    TraceContext tx = CurrentContext.get();
    return tx == null ? task : CurrentContext.wrap(tx, task);
  }

  /** Subscribes its source with the transaction attached (then puts back what was). */
  private static final class Attached<T> extends Mono<T> {
    private final Mono<T> source;
    private final TraceContext tx;

    Attached(Mono<T> source, TraceContext tx) {
      this.source = source;
      this.tx = tx;
    }

    @Override
    public void subscribe(CoreSubscriber<? super T> actual) {
      TraceContext previous = CurrentContext.attach(tx);
      try {
        source.subscribe(actual);
      } finally {
        CurrentContext.restore(previous);
      }
    }
  }

  /**
   * An operator's subscriber that delivers every signal with the transaction attached. A
   * {@code QueueSubscription} that refuses fusion: a fuseable operator downstream casts its
   * subscription to one, and then falls back to plain signals, which pass here.
   */
  private static final class Signals<T> implements CoreSubscriber<T>, Fuseable.QueueSubscription<T> {
    private final CoreSubscriber<? super T> actual;
    private final TraceContext tx;
    private Subscription upstream;

    Signals(CoreSubscriber<? super T> actual, TraceContext tx) {
      this.actual = actual;
      this.tx = tx;
    }

    @Override
    public Context currentContext() {
      return actual.currentContext();
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      TraceContext previous = CurrentContext.attach(tx);
      try {
        actual.onSubscribe(this);
      } finally {
        CurrentContext.restore(previous);
      }
    }

    @Override
    public void onNext(T t) {
      TraceContext previous = CurrentContext.attach(tx);
      try {
        actual.onNext(t);
      } finally {
        CurrentContext.restore(previous);
      }
    }

    @Override
    public void onError(Throwable t) {
      TraceContext previous = CurrentContext.attach(tx);
      try {
        actual.onError(t);
      } finally {
        CurrentContext.restore(previous);
      }
    }

    @Override
    public void onComplete() {
      TraceContext previous = CurrentContext.attach(tx);
      try {
        actual.onComplete();
      } finally {
        CurrentContext.restore(previous);
      }
    }

    @Override
    public void request(long n) {
      TraceContext previous = CurrentContext.attach(tx);
      try {
        upstream.request(n);
      } finally {
        CurrentContext.restore(previous);
      }
    }

    @Override
    public int requestFusion(int requestedMode) {
      return Fuseable.NONE;
    }

    @Override
    public T poll() {
      return null;
    }

    @Override
    public int size() {
      return 0;
    }

    @Override
    public boolean isEmpty() {
      return true;
    }

    @Override
    public void clear() {
      // never fused: nothing queued
    }

    @Override
    public void cancel() {
      TraceContext previous = CurrentContext.attach(tx);
      try {
        upstream.cancel();
      } finally {
        CurrentContext.restore(previous);
      }
    }
  }
}
