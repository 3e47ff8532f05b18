package io.whatap.jdbc.internal;

/**
 * Replaces the literals of an SQL text (strings, numbers, PostgreSQL dollar-quoted strings) by
 * {@code ?}, in one pass with no regular expression. Comments, quoted identifiers ({@code "x"},
 * {@code `x`}, {@code [x]}), positional parameters ({@code $1}) and identifiers with digits
 * ({@code t1}) are kept. A backslash inside a string escapes the next character (MySQL, and
 * PostgreSQL E'' strings); where the database treats it as a plain character the worst outcome is
 * that more of the text is masked, never that a literal leaks. A text without any literal is
 * returned as is (no allocation).
 */
public final class SqlLiterals {
  private SqlLiterals() { }

  public static String mask(String sql) {
    if (sql == null) {
      return null;
    }
    int n = sql.length();
    StringBuilder out = null;
    int copied = 0; // sql[copied, i) still has to be copied to out
    int i = 0;
    while (i < n) {
      char c = sql.charAt(i);
      int literalStart = -1;
      int literalEnd = -1;
      if (c == '\'') {
        literalStart = prefixStart(sql, i);
        literalEnd = endOfQuoted(sql, i, '\'');
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        i = endOfLine(sql, i);
        continue;
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int close = sql.indexOf("*/", i + 2);
        i = close < 0 ? n : close + 2;
        continue;
      } else if (c == '"' || c == '`') {
        i = endOfIdentifier(sql, i, c);
        continue;
      } else if (c == '[') {
        int close = sql.indexOf(']', i + 1);
        i = close < 0 ? n : close + 1;
        continue;
      } else if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
        int tagEnd = dollarTagEnd(sql, i);
        if (tagEnd > 0) {
          String tag = sql.substring(i, tagEnd + 1);
          int close = sql.indexOf(tag, tagEnd + 1);
          literalStart = i;
          literalEnd = close < 0 ? n : close + tag.length();
        } else {
          i = skipIdentifier(sql, i + 1); // $1, or a name containing $
          continue;
        }
      } else if (isDigit(c) || (c == '.' && i + 1 < n && isDigit(sql.charAt(i + 1)))) {
        if (i > 0 && isIdentifierPart(sql.charAt(i - 1))) {
          i = skipIdentifier(sql, i); // the digits of a name such as t1
          continue;
        }
        literalStart = i;
        literalEnd = endOfNumber(sql, i);
      } else if (isIdentifierPart(c)) {
        i = skipIdentifier(sql, i);
        continue;
      } else {
        i++;
        continue;
      }
      if (out == null) {
        out = new StringBuilder(n);
      }
      out.append(sql, copied, literalStart).append('?');
      copied = literalEnd;
      i = literalEnd;
    }
    if (out == null) {
      return sql;
    }
    out.append(sql, copied, n);
    return out.toString();
  }

  /** Where a string starting at {@code quote} really starts: before a one-letter prefix (N'', E'', X'', B''). */
  private static int prefixStart(String sql, int quote) {
    if (quote >= 1) {
      char p = sql.charAt(quote - 1);
      boolean prefix = p == 'N' || p == 'n' || p == 'E' || p == 'e' || p == 'X' || p == 'x' || p == 'B' || p == 'b';
      if (prefix && (quote == 1 || !isIdentifierPart(sql.charAt(quote - 2)))) {
        return quote - 1;
      }
    }
    return quote;
  }

  /** The index after the closing quote; {@code ''} and backslash escapes stay inside. */
  private static int endOfQuoted(String sql, int open, char quote) {
    int n = sql.length();
    int i = open + 1;
    while (i < n) {
      char c = sql.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return n;
  }

  private static int endOfIdentifier(String sql, int open, char quote) {
    int n = sql.length();
    int i = open + 1;
    while (i < n) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < n && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return n;
  }

  private static int endOfLine(String sql, int from) {
    int n = sql.length();
    int i = from;
    while (i < n && sql.charAt(i) != '\n') {
      i++;
    }
    return i;
  }

  /** For {@code $$} or {@code $tag$} at {@code i}, the index of the tag's closing {@code $}; else -1. */
  private static int dollarTagEnd(String sql, int i) {
    int n = sql.length();
    int j = i + 1;
    if (j < n && sql.charAt(j) == '$') {
      return j;
    }
    if (j >= n || !(Character.isLetter(sql.charAt(j)) || sql.charAt(j) == '_')) {
      return -1;
    }
    while (j < n && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
      j++;
    }
    return j < n && sql.charAt(j) == '$' ? j : -1;
  }

  private static int endOfNumber(String sql, int from) {
    int n = sql.length();
    int i = from;
    if (sql.charAt(i) == '0' && i + 1 < n && (sql.charAt(i + 1) == 'x' || sql.charAt(i + 1) == 'X')) {
      i += 2;
      while (i < n && Character.digit(sql.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }
    while (i < n && (isDigit(sql.charAt(i)) || sql.charAt(i) == '.' || sql.charAt(i) == '_')) {
      i++;
    }
    if (i < n && (sql.charAt(i) == 'e' || sql.charAt(i) == 'E')) {
      int j = i + 1;
      if (j < n && (sql.charAt(j) == '+' || sql.charAt(j) == '-')) {
        j++;
      }
      if (j < n && isDigit(sql.charAt(j))) {
        i = j;
        while (i < n && isDigit(sql.charAt(i))) {
          i++;
        }
      }
    }
    return i;
  }

  private static int skipIdentifier(String sql, int from) {
    int n = sql.length();
    int i = from;
    while (i < n && isIdentifierPart(sql.charAt(i))) {
      i++;
    }
    return i;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierPart(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '#' || c == '@';
  }
}
