package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class ElapsedBucketsTest {
  @Test
  void everyIntFallsInTheBucketWhoseBoundsHoldItAndTheRepresentativeIsWithinOneThirtySecond() {
    int[] samples = {0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 999, 1000, 1001, 65_535, 1 << 30, Integer.MAX_VALUE};
    for (int ms : samples) {
      check(ms);
    }
    for (int k = 0; k < 200_000; k++) {
      check(ThreadLocalRandom.current().nextInt(Integer.MAX_VALUE));
      check(ThreadLocalRandom.current().nextInt(100_000));
    }
    assertThat(ElapsedBuckets.index(-5)).isZero();
    assertThat(ElapsedBuckets.index(Integer.MAX_VALUE)).isEqualTo(ElapsedBuckets.COUNT - 1);
  }

  private static void check(int ms) {
    int i = ElapsedBuckets.index(ms);
    assertThat(i).isBetween(0, ElapsedBuckets.COUNT - 1);
    assertThat(ms).isBetween(ElapsedBuckets.lowerBound(i), ElapsedBuckets.upperBound(i));
    int rep = ElapsedBuckets.representative(i);
    assertThat((double) Math.abs(rep - ms)).isLessThanOrEqualTo(ms / 32.0 + 0.5);
  }

  @Test
  void bucketsTileTheIntsWithoutGapOrOverlap() {
    for (int i = 1; i < ElapsedBuckets.COUNT; i++) {
      assertThat(ElapsedBuckets.lowerBound(i)).isEqualTo(ElapsedBuckets.upperBound(i - 1) + 1);
    }
    assertThat(ElapsedBuckets.upperBound(ElapsedBuckets.COUNT - 1)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void percentilesOfAKnownSetAreWithinFivePercentOfTheExactOnes() {
    int[] values = new int[10_000];
    int[] h = new int[ElapsedBuckets.COUNT];
    for (int k = 0; k < values.length; k++) {
      values[k] = 1 + (int) Math.round(Math.pow(k, 1.7) / 50);
      h[ElapsedBuckets.index(values[k])]++;
    }
    Arrays.sort(values);
    int min = values[0];
    int max = values[values.length - 1];
    for (double p : new double[] {50, 90, 99, 100}) {
      int exact = values[(int) Math.ceil(p / 100 * values.length) - 1];
      assertThat((double) ElapsedBuckets.percentile(h, p, min, max)).as("p" + p)
          .isCloseTo(exact, org.assertj.core.data.Offset.offset(exact * 0.05));
    }
    assertThat(ElapsedBuckets.percentile(h, 100, min, max)).isEqualTo(max);
    assertThat(ElapsedBuckets.percentile(new int[ElapsedBuckets.COUNT], 50, 0, 0)).isZero();
  }
}
