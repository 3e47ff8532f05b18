package io.whatap.http;

import io.whatap.trace.CurrentContext;
import io.whatap.trace.TraceContext;
import io.whatap.util.AgentLog;

/**
 * The outgoing-call logic every HTTP client hook shares, in the manner of Brave's
 * {@code HttpClientHandler}: {@link #start} when the application sends a request (on the
 * application's thread, where its transaction is current), {@link HttpClientCall#end} with the
 * status or the throwable, on whatever thread the client completes on. A library hook (library
 * mode) and a bytecode advice (javaagent mode) call the same two methods; they differ only in how
 * they get in.
 *
 * <p>It records on the thread's {@link TraceContext} ({@link CurrentContext#get()}) and writes the
 * headers through {@link Propagation}, the layer below the public facade, so the facade can offer
 * it without a package cycle. Nothing here throws.
 */
public final class HttpClientHandler {
  private HttpClientHandler() { }

  /**
   * Starts an outgoing call to {@code url} for the current thread's transaction and writes the
   * multi-transaction headers through {@code setter} on {@code carrier}. Returns null, having
   * written nothing, when no transaction is current: the hook then lets the call go untraced.
   */
  public static <C> HttpClientCall start(String driver, String url, HeaderSetter<C> setter, C carrier) {
    HttpClientCall call = start(driver, url);
    if (call != null) {
      call.inject(setter, carrier);
    }
    return call;
  }

  /**
   * Starts an outgoing call without writing headers yet, for a hook that must first build the
   * carrier (an immutable request copied into a builder): {@link HttpClientCall#inject} next.
   * Null when no transaction is current, so the copy is made only for traced calls.
   */
  public static HttpClientCall start(String driver, String url) {
    try {
      TraceContext tx = CurrentContext.get();
      if (tx == null) {
        return null;
      }
      return new HttpClientCall(tx, driver, stripUrl(url));
    } catch (RuntimeException | LinkageError e) {
      AgentLog.get().warnOnce("httpc-start", "could not start an outgoing HTTP call step; the call goes"
          + " untraced", e);
      return null;
    }
  }

  /**
   * {@code url} as a TX_HTTPC step shows it: without the query string and the fragment (the rule
   * for incoming transaction names, which never carry the query) and without user information
   * ({@code user:password@}). Returns {@code url} itself when there is nothing to remove.
   */
  public static String stripUrl(String url) {
    if (url == null) {
      return "";
    }
    int end = url.length();
    for (int i = 0; i < end; i++) {
      char ch = url.charAt(i);
      if (ch == '?' || ch == '#') {
        end = i;
        break;
      }
    }
    int scheme = url.indexOf("://");
    int authority = scheme < 0 || scheme >= end ? -1 : scheme + 3;
    int at = -1;
    if (authority >= 0) {
      for (int i = authority; i < end; i++) {
        char ch = url.charAt(i);
        if (ch == '/') {
          break;
        }
        if (ch == '@') {
          at = i;
        }
      }
    }
    if (at < 0) {
      return end == url.length() ? url : url.substring(0, end);
    }
    return url.substring(0, authority) + url.substring(at + 1, end);
  }
}
