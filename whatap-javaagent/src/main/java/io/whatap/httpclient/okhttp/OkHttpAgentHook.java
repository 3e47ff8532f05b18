package io.whatap.httpclient.okhttp;

import io.whatap.http.HttpClientCall;
import io.whatap.javaagent.bootstrap.Hook;
import java.util.List;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * The javaagent's way into whatap-httpclient for OkHttp 4 and 5, the two halves of
 * {@link WhatapOkHttp#callFactory}: a new {@code OkHttpClient.Builder} gets
 * {@link WhatapOkHttp#interceptor()} first in its list (unless an interceptor of that class, from any
 * copy of whatap-httpclient, is there already), and {@code OkHttpClient.newCall} hands on the request
 * that {@link WhatapOkHttp#startCall} made (headers, the call as its tag) when the client has that
 * interceptor to end it. Lives in whatap-httpclient's package, defined by the same adapter class loader
 * per copy of OkHttp, to share its package-private start and its interceptor instance.
 */
public final class OkHttpAgentHook implements Hook {
  static final String INTERCEPTOR_CLASS = WhatapOkHttp.interceptor().getClass().getName();

  public OkHttpAgentHook() { }

  @Override
  public Object enter(Object self, Object request, Object unused) {
    if (self instanceof OkHttpClient.Builder) {
      List<Interceptor> interceptors = ((OkHttpClient.Builder) self).interceptors();
      for (Interceptor i : interceptors) {
        if (i.getClass().getName().equals(INTERCEPTOR_CLASS)) {
          return null;
        }
      }
      interceptors.add(0, WhatapOkHttp.interceptor());
      return null;
    }
    if (self instanceof OkHttpClient && request instanceof Request) {
      Request r = (Request) request;
      if (r.tag(HttpClientCall.class) != null
          || !((OkHttpClient) self).interceptors().contains(WhatapOkHttp.interceptor())) {
        return null; // started already (a Call.Factory of ours), or no interceptor of ours would end it
      }
      return WhatapOkHttp.startCall(r);
    }
    return null;
  }

  @Override
  public Object argument(Object scope, Object original) {
    return scope;
  }

  @Override
  public void exit(Object scope, Object returned, Throwable thrown) {
    // nothing: the interceptor ends the call
  }
}
