package io.whatap.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {
  @Test
  void eachNameIsConvertedOnceAndTheTableStopsGrowingAtItsBound() {
    AtomicInteger conversions = new AtomicInteger();
    HeaderNames<StringBuilder> names = new HeaderNames<>(n -> {
      conversions.incrementAndGet();
      return new StringBuilder(n);
    });
    StringBuilder first = names.of("x-forwarded-for");
    assertThat(names.of("x-forwarded-for")).isSameAs(first);
    assertThat(conversions).hasValue(1);

    for (int i = 0; i < HeaderNames.MAX + 10; i++) {
      names.of("h" + i);
    }
    int afterFill = conversions.get();
    StringBuilder late = names.of("h" + (HeaderNames.MAX + 5));
    assertThat(late.toString()).isEqualTo("h" + (HeaderNames.MAX + 5));
    assertThat(conversions.get()).as("a name past the bound is converted per call, not stored").isEqualTo(afterFill + 1);
    assertThat(names.of("x-forwarded-for")).isSameAs(first);
  }
}
