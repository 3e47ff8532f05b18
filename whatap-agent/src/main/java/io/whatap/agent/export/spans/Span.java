package io.whatap.agent.export.spans;

import java.util.List;

/**
 * One span as both exporters see it, before either wire format: ids as 64-bit numbers (the trace
 * id's high half is always 0, see {@link SpanIds}), times in epoch milliseconds (what the packs
 * carry), attributes typed as the semantic conventions say (String, Long, Boolean, Double or a
 * List of String).
 *
 * @param parentId 0 for a root span
 * @param error    status ERROR (else unset), with {@code statusMessage} (may be null)
 */
public record Span(long traceIdHigh, long traceId, long spanId, long parentId, String name, Kind kind,
    long startMs, long endMs, List<Attribute> attributes, List<Event> events, boolean error, String statusMessage) {

  /** OTLP's span kinds (Zipkin has no INTERNAL: it leaves the kind out). */
  public enum Kind {
    INTERNAL(1), SERVER(2), CLIENT(3);

    /** The value of OTLP's Span.SpanKind. */
    public final int otlp;

    Kind(int otlp) {
      this.otlp = otlp;
    }
  }

  /** A typed key-value: {@code value} is a String, Long, Boolean, Double or List of String. */
  public record Attribute(String key, Object value) {
  }

  /** A timed event on a span ({@code exception} for an error step). */
  public record Event(long timeMs, String name, List<Attribute> attributes) {
  }
}
