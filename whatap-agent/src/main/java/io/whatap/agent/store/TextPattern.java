package io.whatap.agent.store;

/**
 * What a message or a SQL statement says once its values are taken out, so that one kind of error
 * (or one statement) is one group whatever id, number or literal it carried: runs of digits (with
 * their hexadecimal letters, dots and dashes, which covers ids, UUIDs, addresses, times and decimal
 * numbers) and quoted literals become {@code ?}. A hand-written scan, one pass, no regular
 * expression: it runs on the store's writer thread for every error and every SQL step.
 */
public final class TextPattern {
  /** The longest pattern kept (a group key, and the store's column). */
  static final int MAX_CHARS = 1000;

  private TextPattern() {
  }

  public static String of(String text) {
    if (text == null || text.isEmpty()) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_CHARS));
    int n = text.length();
    int i = 0;
    while (i < n && out.length() < MAX_CHARS) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, i + 1);
        if (end > 0) {
          out.append('?');
          i = end + 1;
          continue;
        }
      }
      if (isDigit(c) && !(i > 0 && isWordChar(text.charAt(i - 1)))) {
        int j = i;
        while (j < n && (isHexOrDigit(text.charAt(j)) || ((text.charAt(j) == '.' || text.charAt(j) == '-'
            || text.charAt(j) == ':') && j + 1 < n && isHexOrDigit(text.charAt(j + 1))))) {
          j++;
        }
        out.append('?');
        i = j;
        continue;
      }
      if (isHexStart(text, i)) {
        // a hexadecimal id that starts with a letter (a UUID, a hash): letters and digits mixed, 8 or more
        int j = i;
        boolean digit = false;
        while (j < n && (isHexOrDigit(text.charAt(j)) || text.charAt(j) == '-')) {
          digit |= isDigit(text.charAt(j));
          j++;
        }
        if (digit && j - i >= 8 && (j == n || !isWordChar(text.charAt(j)))) {
          out.append('?');
          i = j;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static boolean isHexStart(String s, int i) {
    char c = s.charAt(i);
    return ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) && (i == 0 || !isWordChar(s.charAt(i - 1)));
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexOrDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
