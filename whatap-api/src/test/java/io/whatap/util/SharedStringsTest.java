package io.whatap.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SharedStringsTest {
  @Test
  void anEqualStringComesBackAsTheInstanceSeenFirst() {
    SharedStrings shared = new SharedStrings(64);
    String first = new String("shop.example:8080");
    String again = new String("shop.example:8080");
    assertThat(shared.share(first)).isSameAs(first);
    assertThat(shared.share(again)).isSameAs(first);
    assertThat(shared.share(null)).isNull();
  }

  @Test
  void theTableStaysBoundedAndLongStringsPassThrough() {
    SharedStrings shared = new SharedStrings(16);
    for (int i = 0; i < 10_000; i++) {
      String s = "10.0.0." + i;
      assertThat(shared.share(s)).isEqualTo(s);
    }
    String longOne = "x".repeat(SharedStrings.MAX_LENGTH + 1);
    assertThat(shared.share(longOne)).isSameAs(longOne);
    assertThat(shared.share(new String(longOne))).isNotSameAs(longOne);
  }
}
