package io.whatap.httpclient.jetty;

import io.whatap.javaagent.bootstrap.Hook;
import org.eclipse.jetty.client.Request;

/**
 * The javaagent's way into whatap-httpclient for Jetty HttpClient 12: at the end of
 * {@code HttpClient.newRequest(URI)} (which {@code newRequest(String)}, {@code newRequest(host, port)},
 * {@code GET} and {@code POST} go through), on the application's thread, the request is traced by
 * library mode's {@link WhatapJetty#trace}: headers, and the complete listener that records the step.
 * A request traced already (a {@code WhatapJettyHttpClient}, from any copy) is left alone by
 * {@code trace} itself. Defined by an adapter class loader per copy of jetty-client.
 */
public final class JettyAgentHook implements Hook {
  public JettyAgentHook() { }

  @Override
  public Object enter(Object client, Object request, Object unused) {
    if (request instanceof Request) {
      WhatapJetty.trace((Request) request);
    }
    return null;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // nothing: the request's complete listener records the step
  }
}
