package io.whatap.agent.http;

import io.whatap.agent.intervals.Histogram;
import io.whatap.agent.intervals.Stats;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Writes the Prometheus text exposition format 0.0.4: a family's HELP and TYPE, then its samples.
 * Labels are given as flat name/value pairs; values are escaped as the format requires.
 */
final class ExpositionWriter {
  private final StringBuilder out = new StringBuilder(16384);

  void family(String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ');
    escape(help, false);
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  /** A counter or gauge without labels, with its HELP and TYPE. */
  void single(String name, String type, String help, double value) {
    family(name, type, help);
    sample(name, NO_LABELS, null, null, value);
  }

  static final String[] NO_LABELS = {};

  /** {@code labels} as name, value, name, value...; {@code extraName}/{@code extraValue} one more pair, or null. */
  void sample(String name, String[] labels, String extraName, String extraValue, double value) {
    out.append(name);
    if (labels.length > 0 || extraName != null) {
      out.append('{');
      for (int i = 0; i + 1 < labels.length; i += 2) {
        label(i > 0, labels[i], labels[i + 1]);
      }
      if (extraName != null) {
        label(labels.length > 0, extraName, extraValue);
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append('\n');
  }

  private void label(boolean comma, String name, String value) {
    if (comma) {
      out.append(',');
    }
    out.append(name).append("=\"");
    escape(bounded(value), true);
    out.append('"');
  }

  /**
   * The most characters of a label value: an application, host or transaction name may be up to
   * agent_text_max / agent_name_max_chars long, and it is repeated on every line of its process.
   */
  static final int LABEL_MAX_CHARS = 128;

  /**
   * {@code value}, or when longer than {@link #LABEL_MAX_CHARS} its beginning, an ellipsis and 16
   * hex digits of its SHA-256: values that differ stay different, so series never collide.
   */
  static String bounded(String value) {
    if (value.length() <= LABEL_MAX_CHARS) {
      return value;
    }
    int keep = LABEL_MAX_CHARS - 17;
    if (Character.isHighSurrogate(value.charAt(keep - 1))) {
      keep--;
    }
    StringBuilder b = new StringBuilder(LABEL_MAX_CHARS).append(value, 0, keep).append('…');
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 8; i++) {
        b.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    return b.toString();
  }

  /**
   * The samples of one histogram series from a {@link Stats}: cumulative {@code _bucket} counts at
   * the bounds {@code bucketLimits} selects (indexes into {@link Histogram}'s buckets, ascending;
   * {@code le} their upper bounds in seconds), {@code le="+Inf"} = {@code _count}, and {@code _sum}
   * in seconds. Leaving out bounds keeps every count exact: a bucket's count is read at its own bound.
   */
  void histogram(String name, String[] labels, Stats s, int[] bucketLimits, String[] le) {
    long cumulative = 0;
    int bucket = 0;
    for (int k = 0; k < bucketLimits.length; k++) {
      for (; bucket <= bucketLimits[k]; bucket++) {
        cumulative += s.histogram.countAt(bucket);
      }
      sample(name + "_bucket", labels, "le", le[k], cumulative);
    }
    sample(name + "_bucket", labels, "le", "+Inf", s.count);
    sample(name + "_sum", labels, null, null, s.sum / 1000.0);
    sample(name + "_count", labels, null, null, s.count);
  }

  String text() {
    return out.toString();
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** Backslash and newline in HELP; also the double quote in label values (the format's only escapes). */
  private void escape(String s, boolean labelValue) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        out.append("\\\\");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '"' && labelValue) {
        out.append("\\\"");
      } else {
        out.append(c);
      }
    }
  }
}
