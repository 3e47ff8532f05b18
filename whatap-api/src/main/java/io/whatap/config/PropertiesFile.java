package io.whatap.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A properties file read line by line with the syntax of {@link java.util.Properties#load}
 * (comments, continuation lines, {@code =}/{@code :}/whitespace separators, escapes), except that
 * a line {@code Properties} would reject is skipped and reported with its line number instead of
 * losing the whole file: one malformed {@code \\uXXXX} escape makes {@code Properties.load} throw,
 * and the application's name, port and license would silently revert to their defaults.
 */
final class PropertiesFile {
  /** One skipped line: its number (the first physical line of a continued line) and why. */
  static final class Problem {
    public final int line;
    public final String reason;

    Problem(int line, String reason) {
      this.line = line;
      this.reason = reason;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Problem && ((Problem) o).line == line && ((Problem) o).reason.equals(reason);
    }

    @Override
    public int hashCode() {
      return line * 31 + reason.hashCode();
    }

    @Override
    public String toString() {
      return "line " + line + ": " + reason;
    }
  }

  /** The key/value pairs in file order (a repeated key keeps its last value) and the skipped lines. */
  public final Map<String, String> values;
  public final List<Problem> problems;

  private PropertiesFile(Map<String, String> values, List<Problem> problems) {
    this.values = Collections.unmodifiableMap(values);
    this.problems = Collections.unmodifiableList(problems);
  }

  /**
   * Reads {@code file} as UTF-8, or as ISO-8859-1 (what {@code Properties.load(InputStream)} reads)
   * when it is not valid UTF-8, as {@link java.util.PropertyResourceBundle} does.
   */
  public static PropertiesFile read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      text = new String(bytes, StandardCharsets.ISO_8859_1);
    }
    return parse(text);
  }

  public static PropertiesFile parse(String text) {
    Map<String, String> values = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    List<String> lines = physicalLines(text.startsWith("\uFEFF") ? text.substring(1) : text);
    StringBuilder logical = new StringBuilder();
    int i = 0;
    while (i < lines.size()) {
      int first = i + 1;
      String line = lines.get(i++);
      int start = skipWhitespace(line, 0);
      if (start == line.length()) {
        continue;
      }
      char c = line.charAt(start);
      if (c == '#' || c == '!') {
        continue; // a comment line is never continued, even when it ends in a backslash
      }
      logical.setLength(0);
      logical.append(line, start, line.length());
      while (endsInEscapingBackslash(logical)) {
        logical.setLength(logical.length() - 1);
        if (i == lines.size()) {
          break; // a backslash at the end of the file continues into nothing, as Properties reads it
        }
        String next = lines.get(i++);
        int from = skipWhitespace(next, 0);
        if (logical.length() == 0 && from < next.length() && (next.charAt(from) == '#' || next.charAt(from) == '!')) {
          break; // Properties: a line continued from nothing is a new line, so this one is a comment
        }
        logical.append(next, from, next.length());
      }
      if (logical.length() > 0) {
        parseLogicalLine(logical, first, values, problems);
      }
    }
    return new PropertiesFile(values, problems);
  }

  /** Lines ended by \n, \r\n or \r, without their terminators. */
  private static List<String> physicalLines(String text) {
    List<String> lines = new ArrayList<>();
    int from = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(text.substring(from, i));
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        from = i + 1;
      }
    }
    if (from < n) {
      lines.add(text.substring(from));
    }
    return lines;
  }

  private static boolean isWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\f';
  }

  private static int skipWhitespace(CharSequence s, int from) {
    while (from < s.length() && isWhitespace(s.charAt(from))) {
      from++;
    }
    return from;
  }

  /** An odd number of backslashes at the end: the last one joins the next line. */
  private static boolean endsInEscapingBackslash(CharSequence s) {
    int n = 0;
    for (int i = s.length() - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
      n++;
    }
    return (n & 1) == 1;
  }

  private static void parseLogicalLine(CharSequence line, int lineNumber, Map<String, String> values,
      List<Problem> problems) {
    int limit = line.length();
    int keyEnd = 0;
    int valueStart = limit;
    boolean hasSeparator = false;
    boolean escaped = false;
    while (keyEnd < limit) {
      char c = line.charAt(keyEnd);
      if (!escaped && (c == '=' || c == ':')) {
        valueStart = keyEnd + 1;
        hasSeparator = true;
        break;
      }
      if (!escaped && isWhitespace(c)) {
        valueStart = keyEnd + 1;
        break;
      }
      escaped = c == '\\' && !escaped;
      keyEnd++;
    }
    while (valueStart < limit) {
      char c = line.charAt(valueStart);
      if (!isWhitespace(c)) {
        if (!hasSeparator && (c == '=' || c == ':')) {
          hasSeparator = true;
        } else {
          break;
        }
      }
      valueStart++;
    }
    StringBuilder key = new StringBuilder(keyEnd);
    String keyProblem = unescape(line, 0, keyEnd, key);
    if (keyProblem != null) {
      problems.add(new Problem(lineNumber, keyProblem + " in the key; line skipped"));
      return;
    }
    if (key.length() == 0) {
      problems.add(new Problem(lineNumber, "no key before the separator; line skipped"));
      return;
    }
    StringBuilder value = new StringBuilder(Math.max(0, limit - valueStart));
    String valueProblem = unescape(line, valueStart, limit, value);
    if (valueProblem != null) {
      // the key is safe to name; the value may be a secret and is never logged
      problems.add(new Problem(lineNumber, valueProblem + " in the value of " + key + "; line skipped"));
      return;
    }
    values.put(key.toString(), value.toString());
  }

  /**
   * Appends {@code s[from, to)} with its escapes resolved as Properties resolves them
   * ({@code \t \n \r \f \\uXXXX}; a backslash before any other character stands for that
   * character); returns why it cannot be, or null.
   */
  private static String unescape(CharSequence s, int from, int to, StringBuilder out) {
    int i = from;
    while (i < to) {
      char c = s.charAt(i++);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (i == to) {
        break; // only at the end of the file: Properties drops the lone backslash
      }
      c = s.charAt(i++);
      switch (c) {
        case 't': out.append('\t'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 'f': out.append('\f'); break;
        case 'u': {
          if (to - i < 4) {
            return "a malformed \\uXXXX escape (fewer than four hex digits)";
          }
          int code = 0;
          for (int k = 0; k < 4; k++) {
            int d = hexDigit(s.charAt(i + k));
            if (d < 0) {
              return "a malformed \\uXXXX escape (not four hex digits after \\u)";
            }
            code = (code << 4) | d;
          }
          i += 4;
          out.append((char) code);
          break;
        }
        default: out.append(c);
      }
    }
    return null;
  }

  /** 0-15 for an ASCII hex digit (Properties accepts no other), else -1. */
  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
