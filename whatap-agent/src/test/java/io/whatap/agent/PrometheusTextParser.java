package io.whatap.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it rejects what
 * Prometheus would reject (bad names, bad escapes, unquoted or duplicate labels, bad numbers, a
 * TYPE after its samples, a HELP or TYPE given twice, a family split in two, a duplicate series, a
 * histogram bucket without {@code le}) and, beyond the format, a counter whose name does not end in
 * {@code _total}. A histogram's or summary's {@code _bucket}, {@code _sum} and {@code _count} samples
 * belong to its family.
 */
final class PrometheusTextParser {
  record Sample(String name, Map<String, String> labels, double value) {
  }

  static final class Family {
    final String name;
    String type = "untyped";
    String help;
    final List<Sample> samples = new ArrayList<>();

    Family(String name) {
      this.name = name;
    }
  }

  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private final Map<String, Family> families = new LinkedHashMap<>();
  private final Set<String> series = new java.util.HashSet<>();
  private final Set<String> typed = new java.util.HashSet<>();
  private final Set<String> helped = new java.util.HashSet<>();
  private String currentFamily;
  private int lineNo;

  static Map<String, Family> parse(String text) {
    PrometheusTextParser p = new PrometheusTextParser();
    if (!text.isEmpty() && !text.endsWith("\n")) {
      throw new IllegalArgumentException("the exposition must end with a newline");
    }
    for (String line : text.split("\n", -1)) {
      p.lineNo++;
      if (p.lineNo > 1 || !line.isEmpty()) {
        p.line(line);
      }
    }
    for (Family f : p.families.values()) {
      if (f.type.equals("counter") && !f.name.endsWith("_total")) {
        throw new IllegalArgumentException("counter " + f.name + " does not end in _total");
      }
    }
    return p.families;
  }

  private IllegalArgumentException bad(String why) {
    return new IllegalArgumentException("line " + lineNo + ": " + why);
  }

  private void line(String line) {
    if (line.isEmpty()) {
      return; // the final newline
    }
    if (line.startsWith("#")) {
      comment(line);
      return;
    }
    sample(line);
  }

  private void comment(String line) {
    String[] parts = line.split(" ", 4);
    if (parts.length < 3 || !parts[0].equals("#") || !(parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
      return; // a plain comment
    }
    String name = parts[2];
    checkMetricName(name);
    Family f = family(name);
    if (parts[1].equals("HELP")) {
      if (!helped.add(name)) {
        throw bad("second HELP for " + name);
      }
      f.help = unescape(parts.length > 3 ? parts[3] : "", false);
    } else {
      if (!typed.add(name)) {
        throw bad("second TYPE for " + name);
      }
      if (!f.samples.isEmpty()) {
        throw bad("TYPE for " + name + " after its samples");
      }
      String type = parts.length > 3 ? parts[3] : "";
      if (!TYPES.contains(type)) {
        throw bad("unknown type '" + type + "'");
      }
      f.type = type;
    }
  }

  private Family family(String name) {
    Family f = families.get(name);
    if (f == null) {
      f = new Family(name);
      families.put(name, f);
    } else if (!name.equals(currentFamily) && !f.samples.isEmpty()) {
      throw bad("family " + name + " is split by another family");
    }
    currentFamily = name;
    return f;
  }

  private void sample(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    checkMetricName(name);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = labels(line, i + 1, labels);
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw bad("expected a space before the value");
    }
    String[] rest = line.substring(i + 1).split(" ", -1);
    if (rest.length < 1 || rest.length > 2) {
      throw bad("expected 'value [timestamp]'");
    }
    double value = number(rest[0]);
    if (rest.length == 2) {
      try {
        Long.parseLong(rest[1]);
      } catch (NumberFormatException e) {
        throw bad("bad timestamp '" + rest[1] + "'");
      }
    }
    Family f = family(familyOf(name));
    if (f.type.equals("histogram") && name.endsWith("_bucket") && !labels.containsKey("le")) {
      throw bad("histogram bucket without le: " + name + labels);
    }
    if (!series.add(name + labels)) {
      throw bad("duplicate series " + name + labels);
    }
    f.samples.add(new Sample(name, labels, value));
  }

  /**
   * The family a sample belongs to: {@code x_bucket}, {@code x_sum}, {@code x_count} of a histogram
   * {@code x}, {@code x_sum}, {@code x_count} of a summary {@code x}; otherwise its own name.
   */
  private String familyOf(String sample) {
    for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
      if (sample.endsWith(suffix)) {
        String base = sample.substring(0, sample.length() - suffix.length());
        Family f = families.get(base);
        if (f != null && (f.type.equals("histogram") || (f.type.equals("summary") && !suffix.equals("_bucket")))) {
          return base;
        }
      }
    }
    return sample;
  }

  private int labels(String line, int i, Map<String, String> labels) {
    while (true) {
      if (i < line.length() && line.charAt(i) == '}') {
        return i + 1;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0) {
        throw bad("label without '='");
      }
      String label = line.substring(i, eq);
      if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || label.startsWith("__")) {
        throw bad("bad label name '" + label + "'");
      }
      if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        throw bad("label value of " + label + " is not quoted");
      }
      StringBuilder v = new StringBuilder();
      int j = eq + 2;
      while (true) {
        if (j >= line.length()) {
          throw bad("unterminated label value");
        }
        char c = line.charAt(j);
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (j + 1 >= line.length()) {
            throw bad("dangling backslash");
          }
          char e = line.charAt(j + 1);
          if (e == '\\') {
            v.append('\\');
          } else if (e == '"') {
            v.append('"');
          } else if (e == 'n') {
            v.append('\n');
          } else {
            throw bad("bad escape \\" + e + " in a label value");
          }
          j += 2;
          continue;
        }
        v.append(c);
        j++;
      }
      if (labels.put(label, v.toString()) != null) {
        throw bad("label " + label + " given twice");
      }
      i = j + 1;
      if (i < line.length() && line.charAt(i) == ',') {
        i++;
      } else if (i >= line.length() || line.charAt(i) != '}') {
        throw bad("expected ',' or '}' after a label");
      }
    }
  }

  private String unescape(String s, boolean quotes) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i + 1 >= s.length()) {
        throw bad("dangling backslash in HELP");
      }
      char e = s.charAt(++i);
      if (e == '\\') {
        b.append('\\');
      } else if (e == 'n') {
        b.append('\n');
      } else if (e == '"' && quotes) {
        b.append('"');
      } else {
        throw bad("bad escape \\" + e + " in HELP");
      }
    }
    return b.toString();
  }

  private double number(String s) {
    switch (s) {
      case "NaN":
        return Double.NaN;
      case "+Inf":
        return Double.POSITIVE_INFINITY;
      case "-Inf":
        return Double.NEGATIVE_INFINITY;
      default:
        if (!s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
          throw bad("bad value '" + s + "'");
        }
        return Double.parseDouble(s);
    }
  }

  private void checkMetricName(String name) {
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw bad("bad metric name '" + name + "'");
    }
  }
}
