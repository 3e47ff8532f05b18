package io.whatap.bench;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.http.HttpTracing;
import brave.propagation.TraceContext;

/**
 * Brave as its users run it, minus the network: every request sampled and recorded, each
 * finished span handed to a span handler that drops it (the no-op reporter).
 */
public final class BraveNoop {
  private BraveNoop() { }

  public static HttpTracing httpTracing(String service) {
    Tracing tracing = Tracing.newBuilder()
        .localServiceName(service)
        .addSpanHandler(new SpanHandler() {
          @Override
          public boolean end(TraceContext context, MutableSpan span, Cause cause) {
            return true;
          }
        })
        .build();
    return HttpTracing.create(tracing);
  }
}
