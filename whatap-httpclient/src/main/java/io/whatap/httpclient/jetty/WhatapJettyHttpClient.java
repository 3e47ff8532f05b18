package io.whatap.httpclient.jetty;

import java.net.URI;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Request;

/**
 * A Jetty {@code HttpClient} whose every request made while a transaction is current is a traced
 * call: {@code HttpClient client = new WhatapJettyHttpClient();} in place of {@code new HttpClient()}.
 * {@code newRequest(String)}, {@code newRequest(host, port)}, {@code GET} and {@code POST} all
 * go through {@link #newRequest(URI)}; a redirect or an authentication retry Jetty makes inside
 * the call copies the request and stays one step.
 */
public class WhatapJettyHttpClient extends HttpClient {
  public WhatapJettyHttpClient() {
    super();
  }

  public WhatapJettyHttpClient(HttpClientTransport transport) {
    super(transport);
  }

  @Override
  public Request newRequest(URI uri) {
    return WhatapJetty.trace(super.newRequest(uri));
  }
}
