package io.whatap.agent;

import io.whatap.agent.apps.AppRegistry;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.RelayPack;
import io.whatap.wire.TagCountPack;
import io.whatap.wire.WireWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** Datagrams for the tests, produced by the core's encoder (the same bytes applications send). */
public final class Frames {
  private Frames() {
  }

  public static byte[] of(Consumer<WireWriter> frames) {
    WireWriter w = new WireWriter(512);
    frames.accept(w);
    return w.toByteArray();
  }

  public static void start(WireWriter w, long txid, int pid, long time, String uri) {
    PackEncoder.txStart(w, txid, time, 0, 0, 0, pid, 1, "demo.local:8080", uri, "10.0.0.7", "curl/8.5",
        "http://referer.local/", "", false, "GET");
  }

  public static void end(WireWriter w, long txid, int pid, long time, String uri, int status) {
    PackEncoder.txEnd(w, txid, time, 0, 0, 0, pid, 1, "demo.local:8080", uri, 0, 0, 0, 0, "", "", "", status,
        false, 0);
  }

  public static void error(WireWriter w, long txid, int pid, long time) {
    PackEncoder.txError(w, txid, time, 0, 0, 0, pid, 1, "java.lang.IllegalStateException", "boom",
        "java.lang.IllegalStateException: boom\n\tat demo.Service.run(Service.java:1)");
  }

  /** A whole transaction in one datagram: start at {@code start}, end {@code elapsed} ms later. */
  public static byte[] transaction(long txid, int pid, long start, int elapsed, String uri, boolean error) {
    return of(w -> {
      start(w, txid, pid, start, uri);
      if (error) {
        error(w, txid, pid, start + elapsed);
      }
      end(w, txid, pid, start + elapsed, uri, error ? 500 : 200);
    });
  }

  /** The counter pack an application sends every counter_interval_ms. */
  public static byte[] counters(int pid, String app, Map<String, Object> fields) {
    Map<String, Object> tags = new LinkedHashMap<>();
    tags.put("app", app);
    tags.put("pid", String.valueOf(pid));
    tags.put("process", "java");
    tags.put("host", "demo-host");
    Map<String, Object> f = new LinkedHashMap<>(fields);
    return of(w -> PackEncoder.encode(new RelayPack(new TagCountPack(0, 0, 1L, AppRegistry.COUNTER_CATEGORY, tags, f),
        null), w));
  }
}
