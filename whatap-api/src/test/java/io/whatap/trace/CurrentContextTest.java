package io.whatap.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.Config;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CurrentContextTest {
  // lookups stay registered for the JVM: these answer only while a test sets them
  private static final AtomicReference<TraceContext> FIRST = new AtomicReference<>();
  private static final AtomicReference<TraceContext> SECOND = new AtomicReference<>();

  static {
    CurrentContext.addLookup(FIRST::get);
    CurrentContext.addLookup(SECOND::get);
  }

  private static TraceContext newContext(String name) {
    Config c = new Config(Map.of());
    return new Tracer(() -> c, new Meters(), new ActiveRegistry(c.activeMax), ctx -> true).start(name);
  }

  @Test
  void aLookupIsAskedOnlyWhenNothingIsAttached() {
    TraceContext attached = newContext("/attached");
    TraceContext found = newContext("/found");
    FIRST.set(found);
    try {
      assertThat(CurrentContext.get()).isSameAs(found);
      TraceContext previous = CurrentContext.attach(attached);
      try {
        assertThat(CurrentContext.get()).isSameAs(attached);
      } finally {
        CurrentContext.restore(previous);
      }
      assertThat(previous).as("attach returns what was attached, not what a lookup finds").isNull();
      assertThat(CurrentContext.get()).isSameAs(found);
    } finally {
      FIRST.set(null);
    }
    assertThat(CurrentContext.get()).isNull();
  }

  @Test
  void lookupsAreAskedInTheOrderTheyWereAdded() {
    TraceContext first = newContext("/first");
    TraceContext second = newContext("/second");
    SECOND.set(second);
    try {
      assertThat(CurrentContext.get()).isSameAs(second);
      FIRST.set(first);
      assertThat(CurrentContext.get()).isSameAs(first);
    } finally {
      FIRST.set(null);
      SECOND.set(null);
    }
  }

  @Test
  void runAndCallAttachForTheCallbackAndRestoreThePreviousOneEvenWhenItThrows() throws Exception {
    TraceContext outer = newContext("/outer");
    TraceContext inner = newContext("/inner");
    TraceContext previous = CurrentContext.attach(outer);
    try {
      List<TraceContext> seen = new ArrayList<>();
      CurrentContext.run(inner, (list, unused) -> list.add(CurrentContext.get()), seen, null);
      assertThat(seen).containsExactly(inner);
      assertThat(CurrentContext.get()).isSameAs(outer);

      String named = CurrentContext.call(inner, (a, b) -> CurrentContext.get().name() + a + b, "-", 1);
      assertThat(named).isEqualTo("/inner-1");
      assertThat(CurrentContext.get()).isSameAs(outer);

      assertThatThrownBy(() -> CurrentContext.run(inner, (a, b) -> {
        throw new IOException("checked, passed through");
      }, null, null)).isInstanceOf(IOException.class);
      assertThat(CurrentContext.get()).as("restored after a throw").isSameAs(outer);
    } finally {
      CurrentContext.restore(previous);
    }
  }

  @Test
  void wrappedTasksRunWithTheirContextAndLeaveTheThreadAsTheyFoundIt() throws Exception {
    TraceContext ctx = newContext("/wrapped");
    AtomicReference<TraceContext> ran = new AtomicReference<>();
    CurrentContext.wrap(ctx, () -> ran.set(CurrentContext.get())).run();
    assertThat(ran.get()).isSameAs(ctx);
    Callable<String> named = CurrentContext.wrap(ctx, () -> CurrentContext.get().name());
    assertThat(named.call()).isEqualTo("/wrapped");
    assertThat(CurrentContext.get()).isNull();

    List<Runnable> queued = new ArrayList<>();
    Executor wrapped = CurrentContext.wrap(ctx, queued::add);
    assertThat(CurrentContext.wrap(ctx, wrapped)).as("already wrapped for this context").isSameAs(wrapped);
    assertThat(CurrentContext.wrap(newContext("/other"), wrapped)).isNotSameAs(wrapped);
    ran.set(null);
    wrapped.execute(() -> ran.set(CurrentContext.get()));
    queued.get(0).run();
    assertThat(ran.get()).isSameAs(ctx);
    assertThat(CurrentContext.get()).isNull();
  }
}
