package io.whatap.bench.overhead;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * Turns the measurements into the report: per server and configuration the median over rounds
 * of each figure and of its ratio against {@code none} in the same round; a Markdown table, a
 * raw per-round table, and a PNG bar chart of throughput ratios.
 */
public final class Report {
  public static final String BEGIN = "<!-- overhead-harness:begin -->";
  public static final String END = "<!-- overhead-harness:end -->";
  static final String NONE = "none";

  /** The summary of one server + configuration over all rounds. */
  public record Row(String server, String config, int rounds, double rps, double rpsRatio, double[] rpsRatioRange,
      double p50Ms, double p99Ms, double p99Ratio, double cpuPer10k, double cpuRatio, double rssMb,
      double heapMb, String whatapPacks, String failure) {

    /** Throughput lost against none: 1 - ratio. */
    public double overhead() {
      return 1 - rpsRatio;
    }
  }

  private Report() { }

  public static List<Row> summarize(List<Measurement> all, List<String> servers, List<String> configs) {
    List<Row> rows = new ArrayList<>();
    for (String server : servers) {
      for (String config : configs) {
        List<Measurement> ms = new ArrayList<>();
        for (Measurement m : all) {
          if (m.server().equals(server) && m.config().equals(config)) {
            ms.add(m);
          }
        }
        if (ms.isEmpty()) {
          continue;
        }
        String failure = null;
        for (Measurement m : ms) {
          if (!m.ok()) {
            failure = m.failure();
          }
        }
        rows.add(new Row(server, config, (int) ms.stream().filter(Measurement::ok).count(),
            median(ms, Measurement::requestsPerSecond),
            medianRatio(all, ms, Measurement::requestsPerSecond),
            Stats.range(ratios(all, ms, Measurement::requestsPerSecond)),
            median(ms, Measurement::p50Ms), median(ms, Measurement::p99Ms),
            medianRatio(all, ms, Measurement::p99Ms),
            median(ms, Measurement::cpuPer10k), medianRatio(all, ms, Measurement::cpuPer10k),
            median(ms, Measurement::rssMb), median(ms, Measurement::heapAfterGcMb),
            config.equals("whatap") ? packs(ms) : "", failure));
      }
    }
    return rows;
  }

  private static double median(List<Measurement> ms, ToDoubleFunction<Measurement> f) {
    List<Double> v = new ArrayList<>();
    for (Measurement m : ms) {
      v.add(f.applyAsDouble(m));
    }
    return Stats.median(v);
  }

  private static List<Double> ratios(List<Measurement> all, List<Measurement> ms, ToDoubleFunction<Measurement> f) {
    List<Double> v = new ArrayList<>();
    for (Measurement m : ms) {
      Measurement base = baseline(all, m);
      v.add(base == null ? Double.NaN : Stats.ratio(f.applyAsDouble(m), f.applyAsDouble(base)));
    }
    return v;
  }

  private static double medianRatio(List<Measurement> all, List<Measurement> ms, ToDoubleFunction<Measurement> f) {
    return Stats.median(ratios(all, ms, f));
  }

  private static Measurement baseline(List<Measurement> all, Measurement m) {
    for (Measurement b : all) {
      if (b.round() == m.round() && b.server().equals(m.server()) && b.config().equals(NONE) && b.ok()) {
        return b;
      }
    }
    return null;
  }

  /** Sender and receiver counts summed over rounds: what was sent, dropped and received. */
  private static String packs(List<Measurement> ms) {
    long txQueued = 0;
    long txDropped = 0;
    long framesSent = 0;
    long framesDropped = 0;
    long rxFrames = 0;
    long rxTxEnds = 0;
    long senderCpuNanos = 0;
    long agentCpuNanos = 0;
    long measuredRequests = 0;
    for (Measurement m : ms) {
      if (m.sink().containsKey("agentCpuNanos") && m.ok()) {
        agentCpuNanos += m.sink().get("agentCpuNanos");
        measuredRequests += m.load().requests();
      }
      txQueued += m.app().getOrDefault("txQueued", 0L);
      txDropped += m.app().getOrDefault("txDropped", 0L);
      framesSent += m.app().getOrDefault("framesSent", 0L);
      framesDropped += m.app().getOrDefault("framesDropped", 0L);
      rxFrames += m.sink().getOrDefault("frames", 0L);
      rxTxEnds += m.sink().getOrDefault("txEnds", 0L);
      senderCpuNanos += m.app().getOrDefault("senderCpuNanos", 0L);
    }
    String agent = measuredRequests == 0 ? ""
        : String.format(Locale.ROOT, "; local agent process CPU %.2f us per request", agentCpuNanos / 1000.0 / measuredRequests);
    return String.format(Locale.ROOT, "sent %,d tx / %,d frames, dropped %,d tx / %,d frames; received %,d tx / %,d frames;"
        + " sender thread CPU %.2f us per transaction", txQueued, framesSent, txDropped, framesDropped, rxTxEnds, rxFrames,
        txQueued == 0 ? 0.0 : senderCpuNanos / 1000.0 / txQueued) + agent;
  }

  public static String markdown(List<Row> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| server | config | rounds | req/s | ratio vs none (min..max) | overhead | p50 ms | p99 ms | p99 vs none"
        + " | CPU s / 10k req | CPU vs none | RSS MB | heap after GC MB |\n");
    b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Row r : rows) {
      if (r.failure() != null && r.rounds() == 0) {
        b.append("| ").append(r.server()).append(" | ").append(r.config()).append(" | 0 | did not run: ")
            .append(r.failure().replace('|', '/')).append(" | | | | | | | | | |\n");
        continue;
      }
      b.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %s (%s..%s) | %s | %.2f | %.2f | %s | %.2f | %s | %.0f | %.1f |%n",
          r.server(), r.config(), r.rounds(), r.rps(), num(r.rpsRatio()), num(r.rpsRatioRange()[0]),
          num(r.rpsRatioRange()[1]), r.config().equals(NONE) ? "" : pct(r.overhead()), r.p50Ms(), r.p99Ms(),
          num(r.p99Ratio()), r.cpuPer10k(), num(r.cpuRatio()), r.rssMb(), r.heapMb()));
    }
    return b.toString();
  }

  /** Per-round raw figures, for the record. */
  public static String rawMarkdown(List<Measurement> all) {
    StringBuilder b = new StringBuilder();
    b.append("| round | server | config | requests | req/s | p50 ms | p99 ms | errors | CPU s | RSS MB | app stats | sink |\n");
    b.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Measurement m : all) {
      if (!m.ok()) {
        b.append(String.format(Locale.ROOT, "| %d | %s | %s | failed: %s | | | | | | | | |%n", m.round(), m.server(),
            m.config(), m.failure().replace('|', '/')));
        continue;
      }
      b.append(String.format(Locale.ROOT, "| %d | %s | %s | %,d | %,.0f | %.2f | %.2f | %d | %.2f | %.0f | %s | %s |%n",
          m.round(), m.server(), m.config(), m.load().requests(), m.requestsPerSecond(), m.p50Ms(), m.p99Ms(),
          m.load().errors(), m.cpuSeconds(), m.rssMb(), m.app(), m.sink()));
    }
    return b.toString();
  }

  /** Replaces the harness's section of {@code doc} (between the markers), or appends one. */
  public static String replaceSection(String doc, String section) {
    String block = BEGIN + "\n" + section + (section.endsWith("\n") ? "" : "\n") + END;
    int i = doc.indexOf(BEGIN);
    int j = doc.indexOf(END);
    if (i >= 0 && j > i) {
      return doc.substring(0, i) + block + doc.substring(j + END.length());
    }
    return doc + (doc.endsWith("\n") ? "\n" : "\n\n") + block + "\n";
  }

  public static void writeSection(Path doc, String section) throws IOException {
    String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "# Benchmarks\n";
    Files.writeString(doc, replaceSection(text, section), StandardCharsets.UTF_8);
  }

  static String num(double d) {
    return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.3f", d);
  }

  static String pct(double d) {
    return Double.isNaN(d) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", d * 100);
  }

  /**
   * A horizontal bar chart: per server, one bar per configuration, throughput as a ratio of none.
   * {@code notTracing} names ("server/config") the runs of an agent that attached but traced
   * nothing: their bars are grey and say so, since their ratio is no tracing cost.
   */
  public static void chart(List<Row> rows, Path png, String title, Set<String> notTracing) throws IOException {
    Map<String, List<Row>> byServer = new LinkedHashMap<>();
    for (Row r : rows) {
      if (!r.config().equals(NONE)) {
        byServer.computeIfAbsent(r.server(), k -> new ArrayList<>()).add(r);
      }
    }
    int barH = 22;
    int gap = 18;
    int left = 190;
    int right = 180; // room for "1.025 (traced nothing)"
    int plotW = 560;
    int top = 60;
    int n = 0;
    for (List<Row> rs : byServer.values()) {
      n += rs.size();
    }
    int height = top + n * barH + byServer.size() * gap + 60;
    int width = left + plotW + right;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(title, 12, 24);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString("throughput (req/s) as a ratio of the same server without an agent, median over rounds", 12, 44);
    double min = 0;
    double max = 1.1;
    for (Row r : rows) {
      if (!Double.isNaN(r.rpsRatio())) {
        max = Math.max(max, Math.ceil(r.rpsRatio() * 10) / 10);
      }
    }
    int y = top;
    Map<String, Color> colors = Map.of("whatap", new Color(0x1f77b4), "javaagent", new Color(0x9467bd),
        "brave", new Color(0xff7f0e), "otel", new Color(0x2ca02c), "elastic", new Color(0xd62728));
    for (Map.Entry<String, List<Row>> e : byServer.entrySet()) {
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
      g.drawString(e.getKey(), 12, y + barH - 6);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
      for (Row r : e.getValue()) {
        g.setColor(Color.DARK_GRAY);
        g.drawString(r.config(), 100, y + barH - 6);
        double v = r.rpsRatio();
        if (!Double.isNaN(v)) {
          int w = (int) Math.round((Math.max(min, Math.min(max, v)) - min) / (max - min) * plotW);
          boolean idle = notTracing.contains(r.server() + "/" + r.config());
          g.setColor(idle ? Color.LIGHT_GRAY : colors.getOrDefault(r.config(), Color.GRAY));
          g.fillRect(left, y + 3, w, barH - 6);
          g.setColor(idle ? Color.GRAY : Color.BLACK);
          g.drawString(String.format(Locale.ROOT, idle ? "%.3f (traced nothing)" : "%.3f", v), left + w + 6, y + barH - 6);
        } else {
          g.setColor(Color.GRAY);
          g.drawString("did not run", left + 6, y + barH - 6);
        }
        y += barH;
      }
      y += gap;
    }
    g.setColor(Color.BLACK);
    g.drawLine(left, top - 4, left, y);
    for (double t = min; t <= max + 1e-9; t += 0.1) {
      if (Math.round(t * 10) % 2 == 1 && max > 1.2) {
        continue;
      }
      int x = left + (int) Math.round((t - min) / (max - min) * plotW);
      g.drawLine(x, y, x, y + 4);
      g.drawString(String.format(Locale.ROOT, "%.1f", t), x - 8, y + 18);
    }
    int x97 = left + (int) Math.round((0.97 - min) / (max - min) * plotW);
    int x100 = left + (int) Math.round((1.0 - min) / (max - min) * plotW);
    g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {4, 4}, 0));
    g.setColor(Color.RED);
    g.drawLine(x97, top - 4, x97, y);
    g.drawString("0.97 (3% target)", x97 - 40, y + 36);
    g.setColor(Color.GRAY);
    g.drawLine(x100, top - 4, x100, y);
    g.dispose();
    Files.createDirectories(png.toAbsolutePath().getParent());
    ImageIO.write(img, "png", png.toFile());
  }
}
