package io.whatap.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.config.Config;
import java.util.Map;
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
}
