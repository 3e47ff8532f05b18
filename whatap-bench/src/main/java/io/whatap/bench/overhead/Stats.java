package io.whatap.bench.overhead;

import java.util.Arrays;
import java.util.List;

/** The arithmetic of the report: medians over rounds, ratios against the same round's baseline. */
public final class Stats {
  private Stats() { }

  /** The median (mean of the middle two for an even count); NaN when empty. */
  public static double median(List<Double> values) {
    double[] v = values.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    int m = v.length / 2;
    return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
  }

  /** {@code value / baseline}, NaN when the baseline is missing or zero. */
  public static double ratio(double value, double baseline) {
    return baseline > 0 && !Double.isNaN(value) ? value / baseline : Double.NaN;
  }

  /** The smallest and largest of the values, for a spread "min..max". */
  public static double[] range(List<Double> values) {
    double lo = Double.NaN;
    double hi = Double.NaN;
    for (double d : values) {
      if (Double.isNaN(d)) {
        continue;
      }
      lo = Double.isNaN(lo) ? d : Math.min(lo, d);
      hi = Double.isNaN(hi) ? d : Math.max(hi, d);
    }
    return new double[] {lo, hi};
  }
}
