package io.whatap.agent.export.otlp;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.export.spans.BatchEncoder;
import io.whatap.agent.export.spans.ServiceResource;
import io.whatap.agent.export.spans.Span;
import io.whatap.agent.export.spans.SpanMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OTLP/HTTP ExportTraceServiceRequest (protobuf) for a batch: one ResourceSpans per process
 * (service.name, service.instance.id, host.name, process.pid), one scope ("io.whatap.agent"),
 * the spans of {@link SpanMapper} with 16-byte trace ids and times in nanoseconds.
 */
public final class OtlpTraces implements BatchEncoder {
  public static final String CONTENT_TYPE = "application/x-protobuf";
  static final String SCOPE = "io.whatap.agent";

  private final SpanMapper mapper;

  public OtlpTraces(SpanMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public Encoded encode(List<TxRecord> batch) {
    Map<ServiceResource, List<Span>> byResource = new LinkedHashMap<>();
    int count = 0;
    for (TxRecord t : batch) {
      List<Span> spans = mapper.map(t);
      byResource.computeIfAbsent(mapper.resource(t), r -> new ArrayList<>()).addAll(spans);
      count += spans.size();
    }
    ProtoWriter w = new ProtoWriter(count * 256);
    for (Map.Entry<ServiceResource, List<Span>> e : byResource.entrySet()) {
      w.begin(1); // ResourceSpans
      resource(w, 1, e.getKey());
      w.begin(2); // ScopeSpans
      scope(w, 1);
      for (Span s : e.getValue()) {
        span(w, s);
      }
      w.end();
      w.end();
    }
    return new Encoded(w.toByteArray(), count);
  }

  private static void span(ProtoWriter w, Span s) {
    w.begin(2);
    w.id(1, s.traceIdHigh(), s.traceId(), true);
    w.id(2, 0, s.spanId(), false);
    if (s.parentId() != 0) {
      w.id(4, 0, s.parentId(), false);
    }
    w.string(5, s.name());
    w.uint64(6, s.kind().otlp);
    w.fixed64(7, s.startMs() * 1_000_000L);
    w.fixed64(8, s.endMs() * 1_000_000L);
    for (Span.Attribute a : s.attributes()) {
      keyValue(w, 9, a.key(), a.value());
    }
    for (Span.Event e : s.events()) {
      w.begin(11);
      w.fixed64(1, e.timeMs() * 1_000_000L);
      w.string(2, e.name());
      for (Span.Attribute a : e.attributes()) {
        keyValue(w, 3, a.key(), a.value());
      }
      w.end();
    }
    if (s.error()) {
      w.begin(15);
      w.string(2, s.statusMessage());
      w.uint64(3, 2); // STATUS_CODE_ERROR
      w.end();
    }
    w.end();
  }

  /** Resource {@code field}: the process's attributes. */
  static void resource(ProtoWriter w, int field, ServiceResource r) {
    w.begin(field);
    keyValue(w, 1, "service.name", r.serviceName());
    keyValue(w, 1, "service.instance.id", r.instanceId());
    keyValue(w, 1, "host.name", r.hostName());
    keyValue(w, 1, "process.pid", (long) r.pid());
    keyValue(w, 1, "telemetry.sdk.name", "whatap-agent");
    w.end();
  }

  /** InstrumentationScope {@code field}. */
  static void scope(ProtoWriter w, int field) {
    w.begin(field);
    w.string(1, SCOPE);
    w.end();
  }

  /** KeyValue {@code field}: a String, Long, Integer, Boolean, Double or List of String value. */
  static void keyValue(ProtoWriter w, int field, String key, Object value) {
    w.begin(field);
    w.string(1, key);
    w.begin(2);
    anyValue(w, value);
    w.end();
    w.end();
  }

  private static void anyValue(ProtoWriter w, Object value) {
    if (value instanceof String s) {
      w.bytes(1, s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } else if (value instanceof Boolean b) {
      w.boolAlways(2, b);
    } else if (value instanceof Long || value instanceof Integer) {
      w.int64Always(3, ((Number) value).longValue());
    } else if (value instanceof Double d) {
      w.doubleAlways(4, d);
    } else if (value instanceof List<?> list) {
      w.begin(5); // ArrayValue
      for (Object o : list) {
        w.begin(1);
        anyValue(w, o);
        w.end();
      }
      w.end();
    } else {
      w.bytes(1, String.valueOf(value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
