package io.whatap.agent.export;

import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.export.otlp.OtlpMetrics;
import io.whatap.agent.export.otlp.OtlpTraces;
import io.whatap.agent.export.otlp.TransactionMetrics;
import io.whatap.agent.export.spans.Selection;
import io.whatap.agent.export.spans.SpanMapper;
import io.whatap.agent.export.zipkin.ZipkinJson;
import io.whatap.agent.query.AgentQuery;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.agent.settings.ExportSettings;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The configured exporters (OTLP/HTTP, Zipkin v2, either, both or none) behind one hook the
 * receiver calls for every completed transaction: the transaction is counted for the OTLP metrics,
 * then, when export_select picks it, queued to each exporter. Nothing here waits on the network on
 * the receiver thread: encoding and sending happen on each exporter's own thread.
 */
public final class Exports implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Exports.class.getName());

  private final Selection selection;
  private final List<SpanExporter> exporters;
  private final TransactionMetrics transactionMetrics;
  /** Completed transactions export_select left out. */
  public final LongAdder notSelected = new LongAdder();
  /** Failures inside the hook (each costs that transaction's export, never the receiver). */
  public final LongAdder hookErrors = new LongAdder();

  private Exports(Selection selection, List<SpanExporter> exporters, TransactionMetrics transactionMetrics) {
    this.selection = selection;
    this.exporters = exporters;
    this.transactionMetrics = transactionMetrics;
  }

  /**
   * The exporters {@code settings} configure, started, fed from {@code query}'s transactions once
   * {@link #offer} is hooked to the receiver; none when no export_*_endpoint is set.
   */
  public static Exports start(AgentSettings settings, AgentQuery query) {
    ExportSettings s = settings.export;
    List<SpanExporter> list = new ArrayList<>();
    TransactionMetrics metrics = null;
    if (s.enabled()) {
      SpanMapper mapper = new SpanMapper(hostName());
      if (!s.otlpEndpoint.isEmpty()) {
        metrics = new TransactionMetrics(System.currentTimeMillis());
        OtlpMetrics otlpMetrics = new OtlpMetrics(query, metrics, mapper);
        list.add(new SpanExporter("otlp", URI.create(s.otlpEndpoint + "/v1/traces"), OtlpTraces.CONTENT_TYPE,
            s.otlpHeaders, s.otlpGzip, s, new OtlpTraces(mapper), URI.create(s.otlpEndpoint + "/v1/metrics"),
            otlpMetrics::encode, settings.intervalMs));
        LOG.info("exporting spans and metrics to the OTLP collector at " + s.otlpEndpoint
            + (s.otlpHeaders.isEmpty() ? "" : " with headers " + s.maskedHeaders())
            + (s.otlpGzip ? ", gzip" : "") + " (export_select=" + s.select.name().toLowerCase(Locale.ROOT) + ")");
      }
      if (!s.zipkinEndpoint.isEmpty()) {
        list.add(new SpanExporter("zipkin", URI.create(s.zipkinEndpoint), ZipkinJson.CONTENT_TYPE, Map.of(),
            false, s, new ZipkinJson(mapper), null, null, 0));
        LOG.info("exporting spans to Zipkin at " + s.zipkinEndpoint + " (export_select="
            + s.select.name().toLowerCase(Locale.ROOT) + ")");
      }
    }
    Exports e = new Exports(new Selection(s), List.copyOf(list), metrics);
    for (SpanExporter x : e.exporters) {
      x.start();
    }
    return e;
  }

  /** Whether any exporter runs. */
  public boolean enabled() {
    return !exporters.isEmpty();
  }

  /**
   * A completed transaction (the receiver thread, with the state lock held): counted, selected,
   * queued. Never throws, never waits.
   */
  public void offer(TxRecord tx) {
    try {
      if (transactionMetrics != null) {
        transactionMetrics.add(tx);
      }
      if (!selection.selected(tx)) {
        notSelected.increment();
        return;
      }
      for (int i = 0; i < exporters.size(); i++) {
        exporters.get(i).offer(tx);
      }
    } catch (RuntimeException e) {
      hookErrors.increment();
      if (hookErrors.sum() == 1) {
        LOG.log(Level.WARNING, "exporting a transaction failed; counting further failures", e);
      }
    }
  }

  /** Each exporter's meters. */
  public List<ExporterMeters> meters() {
    List<ExporterMeters> out = new ArrayList<>(exporters.size());
    for (SpanExporter x : exporters) {
      out.add(x.meters());
    }
    return out;
  }

  @Override
  public void close() {
    for (SpanExporter x : exporters) {
      x.close();
    }
  }

  /** This host's name (host.name): the local agent runs on its applications' host. */
  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return env != null && !env.isEmpty() ? env : "localhost";
    }
  }
}
