package io.whatap.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Hexa32Test {

  /** Expected texts worked out from golib's algorithm: digits 0-9a-v, 'x' for >= 10, 'z' + magnitude below 0. */
  @ParameterizedTest
  @CsvSource({
    "0, 0", "1, 1", "9, 9", "10, xa", "31, xv", "32, x10", "1023, xvv", "1024, x100",
    "9223372036854775807, x7vvvvvvvvvvvv", "-9223372036854775808, z8000000000000",
    "-1, z1", "-9, z9", "-10, za", "-32, z10",
    // golib's own Hexa32_test.go
    "-743752992412427445, zkkincvom0p5l",
  })
  void toStringAndBack(long value, String text) {
    assertThat(Hexa32.toString32(value)).isEqualTo(text);
    assertThat(Hexa32.toLong32(text)).isEqualTo(value);
  }

  @Test
  void randomValuesRoundTrip() {
    Random rnd = new Random(32);
    for (int i = 0; i < 10_000; i++) {
      long v = i % 3 == 0 ? rnd.nextLong() : rnd.nextLong() >> rnd.nextInt(64);
      assertThat(Hexa32.toLong32(Hexa32.toString32(v))).isEqualTo(v);
    }
  }

  @ParameterizedTest
  @CsvSource({"123, 123", "+5, 5", "-5, -5", "xA, 10", "xVV, 1023", "z0, 0", "x0, 0",
    "-9223372036854775808, -9223372036854775808"})
  void readsWhatGolibReadsToo(String text, long value) {
    // golib falls back to Atoi for plain decimal and accepts upper-case digits after the prefix
    assertThat(Hexa32.toLong32(text)).isEqualTo(value);
    assertThat(Hexa32.toLong32(text, 42L)).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "x", "z", "-", "+", "xw", "xz", "x-1", "x 1", " 1", "1.5", "0x10", "abc", "٣",
    "XVV", "Z1",
    "x8000000000000", "z8000000000001", "9223372036854775808", "-9223372036854775809", "x0000000000000000000001"})
  void malformedTextIsRejected(String text) {
    assertThatThrownBy(() -> Hexa32.toLong32(text)).isInstanceOf(NumberFormatException.class);
    assertThat(Hexa32.toLong32(text, 42L)).isEqualTo(42L);
  }

  @Test
  void nullAndHugeInputAreRejectedWithoutReadingThem() {
    assertThatThrownBy(() -> Hexa32.toLong32(null)).isInstanceOf(NumberFormatException.class);
    String huge = "7".repeat(5_000_000);
    assertThatThrownBy(() -> Hexa32.toLong32(huge)).isInstanceOf(NumberFormatException.class)
        .hasMessageContaining("5000000 characters");
    assertThat(Hexa32.toLong32(huge, -7L)).isEqualTo(-7L);
  }
}
