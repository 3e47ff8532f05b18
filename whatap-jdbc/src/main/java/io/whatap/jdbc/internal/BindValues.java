package io.whatap.jdbc.internal;

import java.io.InputStream;
import java.io.Reader;
import java.sql.Blob;
import java.sql.Clob;

/**
 * The bind values of a statement, kept only when profile_sql_params is on: each one formatted at
 * once and cut to profile_sql_param_max characters, so that nothing of the application's objects
 * is retained.
 */
final class BindValues {
  private static final int MAX_PARAMS = 256;
  private String[] byIndex = new String[8];
  private int maxIndex;
  private StringBuilder named;

  void set(int index, Object value, int maxChars) {
    if (index < 1 || index > MAX_PARAMS) {
      return;
    }
    if (index >= byIndex.length) {
      String[] grown = new String[Math.min(MAX_PARAMS + 1, Math.max(index + 1, byIndex.length * 2))];
      System.arraycopy(byIndex, 0, grown, 0, byIndex.length);
      byIndex = grown;
    }
    byIndex[index] = format(value, maxChars);
    maxIndex = Math.max(maxIndex, index);
  }

  void set(String name, Object value, int maxChars) {
    if (named == null) {
      named = new StringBuilder();
    } else if (named.length() > 32 * 1024) {
      return;
    }
    if (named.length() > 0) {
      named.append('\n');
    }
    named.append(name).append('=').append(format(value, maxChars));
  }

  void clear() {
    java.util.Arrays.fill(byIndex, null);
    maxIndex = 0;
    named = null;
  }

  boolean isEmpty() {
    return maxIndex == 0 && named == null;
  }

  /** "1=value" lines in index order, then the named ones. */
  String describe() {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= maxIndex; i++) {
      if (byIndex[i] != null) {
        if (b.length() > 0) {
          b.append('\n');
        }
        b.append(i).append('=').append(byIndex[i]);
      }
    }
    if (named != null) {
      if (b.length() > 0) {
        b.append('\n');
      }
      b.append(named);
    }
    return b.toString();
  }

  static String format(Object value, int maxChars) {
    String s;
    if (value == null) {
      s = "NULL";
    } else if (value instanceof InputStream || value instanceof Reader || value instanceof Blob
        || value instanceof Clob || value instanceof byte[]) {
      s = "<" + value.getClass().getSimpleName() + ">"; // contents are never read: that would consume them
    } else if (value instanceof CharSequence || value instanceof java.util.Date
        || value instanceof java.time.temporal.TemporalAccessor) {
      s = "'" + value + "'";
    } else {
      s = String.valueOf(value);
    }
    if (s.length() > maxChars) {
      int end = maxChars;
      if (end > 0 && Character.isHighSurrogate(s.charAt(end - 1))) {
        end--;
      }
      s = s.substring(0, end) + "...";
    }
    return s;
  }
}
