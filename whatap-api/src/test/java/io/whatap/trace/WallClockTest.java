package io.whatap.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WallClockTest {
  @Test
  void agreesWithTheSystemClockToTheMillisecond() {
    for (int i = 0; i < 1000; i++) {
      long before = System.currentTimeMillis();
      long derived = WallClock.millis();
      long after = System.currentTimeMillis();
      assertThat(derived).isBetween(before - 1, after + 1);
    }
  }

  @Test
  void anEarlierReadingMapsToAnEarlierTime() {
    long nanos = System.nanoTime();
    assertThat(WallClock.millisAt(nanos - 5_000_000_000L)).isBetween(WallClock.millisAt(nanos) - 5001, WallClock.millisAt(nanos) - 4999);
  }
}
