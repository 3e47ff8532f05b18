package io.whatap.spi;

import io.whatap.http.HeaderSetter;
import io.whatap.http.HttpClientCall;
import io.whatap.http.HttpClientHandler;
import io.whatap.runtime.Javaagent;
import java.util.function.BiConsumer;

/**
 * The way in for an HTTP client adapter module (whatap-httpclient): {@link HttpClientHandler}'s
 * start, plus one agent per JVM. When this copy of whatap-api is bundled by an application that
 * runs under the javaagent (see {@link Javaagent}), its own {@code CurrentContext} never holds the
 * request's transaction (the javaagent's hooks started it): the call then records through the
 * javaagent's API bridge, into that transaction.
 */
public final class HttpClientTracing {
  private static final HttpClientCall.Recorder BRIDGE = new BridgeRecorder();

  private HttpClientTracing() { }

  /** {@link HttpClientHandler#start(String, String)}, under the javaagent through its bridge. */
  public static HttpClientCall start(String driver, String url) {
    if (!Javaagent.PRESENT) {
      return HttpClientHandler.start(driver, url);
    }
    Object tx = Javaagent.current();
    return tx == null ? null : HttpClientCall.bridged(tx, BRIDGE, driver, url);
  }

  /** {@link HttpClientHandler#start(String, String, HeaderSetter, Object)}, under the javaagent through its bridge. */
  public static <C> HttpClientCall start(String driver, String url, HeaderSetter<C> setter, C carrier) {
    HttpClientCall call = start(driver, url);
    if (call != null) {
      call.inject(setter, carrier);
    }
    return call;
  }

  /**
   * True when this copy of whatap-api is bundled by an application running under the javaagent,
   * whose hooks record this library's calls themselves: an adapter whose library the javaagent
   * hooks (OkHttp) then passes its calls through, so that each call is recorded once.
   */
  public static boolean javaagentRecords() {
    return Javaagent.PRESENT;
  }

  private static final class BridgeRecorder implements HttpClientCall.Recorder {
    @Override
    public long outgoingHeaders(BiConsumer<String, String> headers) {
      return Javaagent.outgoingHeaders(headers);
    }

    @Override
    public void httpCall(Object tx, String url, long startMillis, int elapsedMs, int status, long calleeTxid,
        String driver) {
      Javaagent.httpCall(tx, url, startMillis, elapsedMs, status, calleeTxid, driver);
    }

    @Override
    public void error(Object tx, Throwable error) {
      Javaagent.error(tx, error);
    }
  }
}
