package io.whatap.jdbc.internal;

/**
 * Removes credentials from a JDBC URL before it goes into a pack: the user-info of
 * {@code //user:password@host}, Oracle's {@code user/password@host}, and every parameter whose name
 * looks like a credential, in {@code ?a=b&c=d} and in {@code ;a=b;c=d} forms. Runs once per
 * connection URL (callers cache the result), so it may allocate.
 */
public final class JdbcUrls {
  private static final String[] CREDENTIAL_WORDS = {
    "user", "pass", "pwd", "secret", "token", "key", "credential", "auth", "cert"
  };

  private JdbcUrls() { }

  public static String withoutCredentials(String url) {
    if (url == null) {
      return "";
    }
    String u = withoutUserInfo(url);
    int params = firstOf(u, '?', ';', afterAuthority(u));
    if (params < 0) {
      return u;
    }
    StringBuilder out = new StringBuilder(u.length()).append(u, 0, params);
    boolean questionOpen = false; // a ?-led parameter was dropped: the next &-led one takes its '?'
    int i = params;
    while (i < u.length()) {
      char sep = u.charAt(i);
      int end = i + 1;
      while (end < u.length() && u.charAt(end) != '&' && u.charAt(end) != ';' && u.charAt(end) != '?') {
        if (u.charAt(end) == '{') { // SQL Server braces a value that contains separators: password={a;b}
          int close = u.indexOf('}', end);
          end = close < 0 ? u.length() : close + 1;
        } else {
          end++;
        }
      }
      String segment = u.substring(i + 1, end);
      int eq = segment.indexOf('=');
      String name = eq < 0 ? segment : segment.substring(0, eq);
      if (isCredential(name)) {
        questionOpen |= sep == '?';
      } else if (!segment.isEmpty()) {
        if (questionOpen && sep == '&') {
          sep = '?';
          questionOpen = false;
        } else if (sep == '?') {
          questionOpen = false;
        }
        out.append(sep).append(segment);
      }
      i = end;
    }
    return out.toString();
  }

  static boolean isCredential(String name) {
    for (String w : CREDENTIAL_WORDS) {
      if (containsIgnoreCase(name, w)) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsIgnoreCase(String s, String word) {
    for (int i = 0; i + word.length() <= s.length(); i++) {
      if (s.regionMatches(true, i, word, 0, word.length())) {
        return true;
      }
    }
    return false;
  }

  /** Drops {@code user:password@} after {@code //}, or Oracle's {@code user/password@} after the last ':' before '@'. */
  private static String withoutUserInfo(String url) {
    int slashes = url.indexOf("//");
    if (slashes >= 0) {
      int authorityEnd = firstOf(url, '/', '?', slashes + 2);
      int semicolon = url.indexOf(';', slashes + 2);
      if (semicolon >= 0 && (authorityEnd < 0 || semicolon < authorityEnd)) {
        authorityEnd = semicolon;
      }
      int end = authorityEnd < 0 ? url.length() : authorityEnd;
      int at = url.lastIndexOf('@', end - 1);
      if (at >= slashes + 2) {
        return url.substring(0, slashes + 2) + url.substring(at + 1);
      }
      if (!url.startsWith("jdbc:oracle:")) {
        return url;
      }
    }
    if (url.startsWith("jdbc:oracle:")) {
      int at = url.indexOf('@');
      if (at > 0) {
        int colon = url.lastIndexOf(':', at);
        if (colon >= 0 && colon + 1 < at) {
          return url.substring(0, colon + 1) + url.substring(at);
        }
      }
    }
    return url;
  }

  /** Where the host part ends, so that a ';' or '?' is looked for only after it. */
  private static int afterAuthority(String url) {
    int slashes = url.indexOf("//");
    return slashes < 0 ? 0 : slashes + 2;
  }

  private static int firstOf(String s, char a, char b, int from) {
    int ia = s.indexOf(a, from);
    int ib = s.indexOf(b, from);
    if (ia < 0) {
      return ib;
    }
    return ib < 0 ? ia : Math.min(ia, ib);
  }
}
