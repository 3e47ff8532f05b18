package io.whatap.wsgi;

import java.util.List;
import java.util.Map;

/** The hosting bridge's start_response for one request: what the application asked to send. */
final class ResponseState implements StartResponse {
  private String status;
  private int code;
  private List<Map.Entry<String, String>> headers;
  private boolean headersSent;

  @Override
  public void accept(String status, List<Map.Entry<String, String>> headers, Throwable excInfo) {
    if (excInfo != null) {
      if (headersSent) {
        throw Sneaky.<RuntimeException>rethrow(excInfo);
      }
    } else if (this.status != null) {
      throw new IllegalStateException("start_response was already called; call it again only with exc_info");
    }
    int parsed = Status.code(status);
    Status.check(headers);
    this.status = status;
    this.code = parsed;
    this.headers = List.copyOf(headers);
  }

  boolean started() {
    return status != null;
  }

  int code() {
    return code;
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  boolean headersSent() {
    return headersSent;
  }

  void markHeadersSent() {
    headersSent = true;
  }

  /** The Content-Length the application declared, or -1. */
  long declaredLength() {
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase("Content-Length")) {
        try {
          long n = Long.parseLong(h.getValue().trim());
          return n >= 0 ? n : -1;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return -1;
  }
}
