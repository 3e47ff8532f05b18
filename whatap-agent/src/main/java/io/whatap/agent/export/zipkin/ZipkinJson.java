package io.whatap.agent.export.zipkin;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.export.spans.BatchEncoder;
import io.whatap.agent.export.spans.ServiceResource;
import io.whatap.agent.export.spans.Span;
import io.whatap.agent.export.spans.SpanMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Spans in Zipkin's v2 JSON model (POST /api/v2/spans): ids as lower-case hex (64-bit trace ids),
 * times in microseconds, attributes as string tags, the service as {@code localEndpoint.serviceName}.
 * Zipkin has no INTERNAL kind (the kind is left out) and no typed attributes (numbers and arrays
 * become text). A span in error carries the {@code error} tag (its message, else "true"), and each
 * exception event an annotation "exception: type: message" beside {@code exception.*} tags.
 */
public final class ZipkinJson implements BatchEncoder {
  public static final String CONTENT_TYPE = "application/json";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final SpanMapper mapper;

  public ZipkinJson(SpanMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public Encoded encode(List<TxRecord> batch) {
    StringBuilder out = new StringBuilder(batch.size() * 512);
    out.append('[');
    int spans = 0;
    for (TxRecord t : batch) {
      ServiceResource r = mapper.resource(t);
      for (Span s : mapper.map(t)) {
        if (spans++ > 0) {
          out.append(',');
        }
        span(out, s, r);
      }
    }
    out.append(']');
    return new Encoded(out.toString().getBytes(StandardCharsets.UTF_8), spans);
  }

  private static void span(StringBuilder out, Span s, ServiceResource r) {
    out.append("{\"traceId\":\"");
    if (s.traceIdHigh() != 0) {
      hex(out, s.traceIdHigh());
    }
    hex(out, s.traceId());
    out.append("\",\"id\":\"");
    hex(out, s.spanId());
    out.append('"');
    if (s.parentId() != 0) {
      out.append(",\"parentId\":\"");
      hex(out, s.parentId());
      out.append('"');
    }
    if (s.kind() != Span.Kind.INTERNAL) {
      out.append(",\"kind\":\"").append(s.kind().name()).append('"');
    }
    out.append(",\"name\":");
    string(out, s.name());
    out.append(",\"timestamp\":").append(s.startMs() * 1000L);
    out.append(",\"duration\":").append(Math.max(1L, (s.endMs() - s.startMs()) * 1000L));
    out.append(",\"localEndpoint\":{\"serviceName\":");
    string(out, r.serviceName());
    out.append('}');
    if (!s.events().isEmpty()) {
      out.append(",\"annotations\":[");
      for (int i = 0; i < s.events().size(); i++) {
        Span.Event e = s.events().get(i);
        if (i > 0) {
          out.append(',');
        }
        out.append("{\"timestamp\":").append(e.timeMs() * 1000L).append(",\"value\":");
        string(out, annotation(e));
        out.append('}');
      }
      out.append(']');
    }
    out.append(",\"tags\":{");
    boolean first = true;
    for (Span.Attribute a : s.attributes()) {
      first = tag(out, first, a.key(), a.value());
    }
    if (!s.events().isEmpty()) {
      for (Span.Attribute a : s.events().get(0).attributes()) { // the first exception, as OpenTelemetry's Zipkin exporter does
        first = tag(out, first, a.key(), a.value());
      }
    }
    if (s.error()) {
      String m = s.statusMessage();
      first = tag(out, first, "error", m == null || m.isEmpty() ? "true" : m);
    }
    first = tag(out, first, "service.instance.id", r.instanceId());
    tag(out, first, "process.pid", Integer.toString(r.pid()));
    out.append("}}");
  }

  private static String annotation(Span.Event e) {
    StringBuilder b = new StringBuilder(e.name());
    String sep = ": ";
    for (Span.Attribute a : e.attributes()) {
      if (a.key().equals("exception.type") || a.key().equals("exception.message")) {
        b.append(sep).append(a.value());
        sep = ": ";
      }
    }
    return b.toString();
  }

  private static boolean tag(StringBuilder out, boolean first, String key, Object value) {
    if (!first) {
      out.append(',');
    }
    string(out, key);
    out.append(':');
    string(out, value instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList())
        : String.valueOf(value));
    return false;
  }

  static void hex(StringBuilder out, long v) {
    for (int s = 60; s >= 0; s -= 4) {
      out.append(HEX[(int) (v >>> s) & 0xf]);
    }
  }

  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf]).append(HEX[c >> 4 & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
