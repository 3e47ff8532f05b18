package io.whatap.util;

/** The rule every URL the agent records follows, whoever recorded it. */
public final class UrlText {
  private UrlText() { }

  /**
   * A URL (a Referer, an outgoing call's URL) as the agent records it, by the request URL's rule:
   * without its query string, its fragment or the user info of its authority
   * ({@code https://user:pass@host/p?token=1#x} becomes {@code https://host/p}), where
   * credentials travel. The same instance when there is nothing to remove.
   */
  public static String recordable(String url) {
    if (url == null) {
      return null;
    }
    int end = url.length();
    for (int i = 0; i < end; i++) {
      char c = url.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    int userInfoFrom = -1;
    int at = -1;
    int scheme = url.indexOf("://");
    if (scheme > 0 && scheme < end) {
      userInfoFrom = scheme + 3;
      for (int i = userInfoFrom; i < end; i++) {
        char c = url.charAt(i);
        if (c == '/') {
          break;
        }
        if (c == '@') {
          at = i;
        }
      }
    }
    if (at < 0) {
      return end == url.length() ? url : url.substring(0, end);
    }
    return new StringBuilder(end - (at + 1 - userInfoFrom)).append(url, 0, userInfoFrom)
        .append(url, at + 1, end).toString();
  }
}
