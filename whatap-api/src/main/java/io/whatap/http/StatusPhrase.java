package io.whatap.http;

/** Reason phrases used as the error class of an HTTP error status, precomputed so an error costs no allocation. */
final class StatusPhrase {
  private static final String[] PHRASES = new String[600];
  private static final String[] MESSAGES = new String[600];

  static {
    put(400, "Bad Request");
    put(401, "Unauthorized");
    put(403, "Forbidden");
    put(404, "Not Found");
    put(405, "Method Not Allowed");
    put(408, "Request Timeout");
    put(409, "Conflict");
    put(413, "Content Too Large");
    put(429, "Too Many Requests");
    put(500, "Internal Server Error");
    put(501, "Not Implemented");
    put(502, "Bad Gateway");
    put(503, "Service Unavailable");
    put(504, "Gateway Timeout");
    for (int i = 100; i < 600; i++) {
      if (PHRASES[i] == null) {
        PHRASES[i] = "HTTP " + i;
      }
      MESSAGES[i] = "HTTP status " + i;
    }
  }

  private StatusPhrase() { }

  private static void put(int status, String phrase) {
    PHRASES[status] = phrase;
  }

  static String of(int status) {
    return status >= 100 && status < 600 ? PHRASES[status] : "HTTP " + status;
  }

  static String message(int status) {
    return status >= 100 && status < 600 ? MESSAGES[status] : "HTTP status " + status;
  }
}
