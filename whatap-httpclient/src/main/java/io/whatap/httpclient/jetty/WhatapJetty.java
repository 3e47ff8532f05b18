package io.whatap.httpclient.jetty;

import io.whatap.http.HeaderSetter;
import io.whatap.http.HttpClientCall;
import io.whatap.spi.HttpClientTracing;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;

/**
 * Jetty HttpClient 12. {@code new WhatapJettyHttpClient()} (an {@code HttpClient} whose
 * {@code newRequest} traces) or, for one request of any client, {@code WhatapJetty.trace(
 * client.newRequest(url)).send()}.
 *
 * <p>The step starts when the request is created, on the application's thread: that is where its
 * transaction is current. A global {@code Request.Listener} cannot do it: {@code onQueued} comes
 * after the exchange copied the request's response listeners, so a completion listener added there
 * never runs, and the other callbacks run on Jetty's threads where no transaction is current. The
 * call rides in a request attribute ({@link #ATTRIBUTE}) and ends in the request's complete
 * listener, which Jetty notifies before the listener given to {@code send}: the step is recorded
 * before {@code send()} returns or the application's listener runs.
 */
public final class WhatapJetty {
  /** The request attribute holding the {@link HttpClientCall} of a traced request. */
  public static final String ATTRIBUTE = HttpClientCall.class.getName();
  static final String DRIVER = "jetty-httpclient";
  private static final HeaderSetter<Request> SET_HEADER = (request, name, value) ->
      request.headers(headers -> headers.put(name, value));

  private WhatapJetty() { }

  /**
   * Traces {@code request} for the current thread's transaction: adds the multi-transaction
   * headers and a complete listener that records the step. Returns {@code request}; does nothing
   * when no transaction is current or the request is traced already. Call before {@code send}.
   */
  public static Request trace(Request request) {
    if (request == null || request.getAttributes().get(ATTRIBUTE) != null) {
      return request;
    }
    HttpClientCall call = HttpClientTracing.start(DRIVER, String.valueOf(request.getURI()));
    if (call == null) {
      return request;
    }
    call.inject(SET_HEADER, request);
    request.attribute(ATTRIBUTE, call);
    request.onComplete(new End(call));
    return request;
  }

  private static final class End implements Response.CompleteListener {
    private final HttpClientCall call;

    End(HttpClientCall call) {
      this.call = call;
    }

    @Override
    public void onComplete(Result result) {
      Response response = result.getResponse();
      call.end(response == null ? 0 : response.getStatus(), result.getFailure());
    }
  }
}
