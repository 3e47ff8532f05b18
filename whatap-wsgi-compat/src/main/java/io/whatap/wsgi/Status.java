package io.whatap.wsgi;

import java.util.List;
import java.util.Map;

/** Checks what an application passes to start_response. */
final class Status {
  private Status() { }

  /** The code of a status line "200 OK" (or "200"). */
  static int code(String status) {
    if (status == null || status.length() < 3 || (status.length() > 3 && status.charAt(3) != ' ')) {
      throw new IllegalArgumentException("WSGI status must look like \"200 OK\", got " + quote(status));
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = status.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("WSGI status must start with a 3-digit code, got " + quote(status));
      }
      code = code * 10 + (c - '0');
    }
    if (code < 100 || code > 599) {
      throw new IllegalArgumentException("WSGI status code out of range 100-599: " + quote(status));
    }
    return code;
  }

  /** Rejects a missing list and names or values that would break the header block. */
  static void check(List<Map.Entry<String, String>> headers) {
    if (headers == null) {
      throw new IllegalArgumentException("WSGI response headers must be a list (it may be empty)");
    }
    for (Map.Entry<String, String> h : headers) {
      if (h == null || h.getKey() == null || h.getValue() == null || h.getKey().isEmpty()
          || !safe(h.getKey(), true) || !safe(h.getValue(), false)) {
        throw new IllegalArgumentException("invalid WSGI response header " + h);
      }
    }
  }

  private static boolean safe(String s, boolean name) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || (name && (c == ':' || c <= ' '))) {
        return false;
      }
    }
    return true;
  }

  private static String quote(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
