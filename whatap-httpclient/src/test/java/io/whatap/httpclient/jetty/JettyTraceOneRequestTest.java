package io.whatap.httpclient.jetty;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;

/** The client suite with a plain Jetty {@code HttpClient} and {@code WhatapJetty.trace(request)} per request. */
class JettyTraceOneRequestTest extends JettyClientTest {
  @Override
  protected HttpClient newTracedClient() {
    return new HttpClient();
  }

  @Override
  protected Request request(HttpClient client, String url) {
    return WhatapJetty.trace(client.newRequest(url));
  }
}
