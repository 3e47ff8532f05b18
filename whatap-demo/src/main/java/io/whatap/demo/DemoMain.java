package io.whatap.demo;

import io.whatap.agent.AgentState;
import io.whatap.agent.intervals.IntervalSummary;
import io.whatap.agent.query.AppView;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./demo} (or {@code java -jar whatap-demo/target/whatap-demo.jar}): starts the local agent,
 * the demo apps and their traffic, prints the dashboard URL and a status line every ten seconds,
 * and runs until Ctrl-C or the end of {@code --duration}.
 */
public final class DemoMain {
  private static final String USAGE = String.join("\n",
      "usage: demo [--duration SECONDS] [--home DIR] [--udp-port N] [--http-port N] [--workers N]",
      "            [--apps KIND:NAME,KIND:NAME,...]",
      "  --duration  stop by itself after this many seconds (default: run until Ctrl-C)",
      "  --home      where the apps' logs go (default: a new temporary directory)",
      "  --udp-port  the local agent's UDP port (default 6600 when free, else any free port)",
      "  --http-port the dashboard's port (default 6610 when free, else any free port)",
      "  --workers   traffic generator threads, 2-3 requests/s each (default 4; 0: no traffic)",
      "  --apps      the apps to start; each calls the next one on /checkout (kinds: %s)");

  private DemoMain() {
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    long duration = 0;
    Path home = null;
    int udpPort = -1;
    int httpPort = -1;
    int workers = 4;
    List<DemoApps.AppSpec> apps = DemoApps.DEFAULT;
    try {
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("-h") || a.equals("--help")) {
          out.println(String.format(USAGE, DemoApps.kinds()));
          return;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(a + " needs a value");
        }
        String v = args[++i];
        switch (a) {
          case "--duration": duration = Long.parseLong(v); break;
          case "--home": home = Path.of(v).toAbsolutePath(); break;
          case "--udp-port": udpPort = Integer.parseInt(v); break;
          case "--http-port": httpPort = Integer.parseInt(v); break;
          case "--workers": workers = Integer.parseInt(v); break;
          case "--apps": apps = parseApps(v); break;
          default: throw new IllegalArgumentException("unknown option " + a);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("demo: " + e.getMessage());
      System.err.println(String.format(USAGE, DemoApps.kinds()));
      System.exit(2);
      return;
    }
    if (home == null) {
      home = Files.createTempDirectory("whatap-demo-");
    }

    out.println("Starting the WhaTap demo (apps' logs in " + home + ") ...");
    Demo demo;
    try {
      demo = Demo.start(new Demo.Options(home, udpPort, httpPort, apps, workers, Map.of()));
    } catch (Exception e) {
      System.err.println("demo: could not start: " + e.getMessage());
      System.exit(1);
      return;
    }
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      out.println("Stopping the traffic, the apps and the agent ...");
      demo.close();
      out.println("Demo stopped.");
      done.countDown();
    }, "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    printBanner(out, demo, duration);

    long started = System.nanoTime();
    long end = duration > 0 ? started + TimeUnit.SECONDS.toNanos(duration) : Long.MAX_VALUE;
    long nextStatus = started + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      long wait = Math.min(end, nextStatus) - System.nanoTime();
      if (wait > 0 && done.await(wait, TimeUnit.NANOSECONDS)) {
        return; // Ctrl-C: the hook cleaned up
      }
      out.println(status(demo, started));
      if (System.nanoTime() >= end) {
        break;
      }
      nextStatus += TimeUnit.SECONDS.toNanos(10);
    }
    out.println(summary(demo));
    Runtime.getRuntime().removeShutdownHook(hook);
    demo.close();
    out.println("Demo stopped after " + duration + " s.");
  }

  static List<DemoApps.AppSpec> parseApps(String v) {
    String[] items = v.split(",");
    List<DemoApps.AppSpec> out = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      String[] kn = items[i].trim().split(":", 2);
      if (kn.length != 2 || !DemoApps.kinds().contains(kn[0]) || kn[1].isBlank()) {
        throw new IllegalArgumentException("--apps takes KIND:NAME,... with KIND one of " + DemoApps.kinds()
            + ", not '" + items[i] + "'");
      }
      out.add(new DemoApps.AppSpec(kn[0], kn[1], items.length > 1 ? (i + 1) % items.length : -1));
    }
    return out;
  }

  private static void printBanner(PrintStream out, Demo demo, long duration) {
    out.println();
    out.println("  Dashboard:  " + demo.dashboardUrl());
    out.println("  Local agent (in this process): UDP 127.0.0.1:" + demo.agent().udpPort()
        + ", JSON API " + demo.dashboardUrl() + "api/summary, Prometheus " + demo.dashboardUrl() + "metrics");
    for (Demo.RunningApp a : demo.apps()) {
      out.println("  App " + pad(a.spec().appName(), 16) + " pid " + a.process().pid() + "  " + a.url() + "  "
          + DemoApps.server(a.spec().kind()).description());
    }
    if (demo.traffic() != null) {
      out.println("  Traffic:    normal, SQL (H2 in each app), cross-app (/checkout), slow, failing, error-status and"
          + " long-running requests, from this process");
    }
    out.println();
    out.println(duration > 0 ? "Running for " + duration + " s (Ctrl-C stops it sooner)." : "Press Ctrl-C to stop.");
  }

  private static String status(Demo demo, long startedNanos) {
    AgentState s = demo.agent().state();
    IntervalSummary last = s.lastInterval(0);
    long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
    int reporting = 0;
    for (AppView a : s.apps()) {
      if (!a.provisional()) {
        reporting++;
      }
    }
    return String.format("[%3ds] %d requests sent, %d transactions received, %d apps reporting, last %ds: TPS %.1f,"
        + " avg %.0f ms, %d errors", secs, demo.traffic() == null ? 0 : demo.traffic().sent.sum(), s.completed(),
        reporting, s.settings().intervalMs / 1000, last == null ? 0.0 : last.tps(), last == null ? 0.0 : last.avg(),
        last == null ? 0 : last.errors());
  }

  private static String summary(Demo demo) {
    StringBuilder b = new StringBuilder();
    TrafficGenerator t = demo.traffic();
    if (t != null) {
      b.append("Traffic: ").append(t.sent.sum()).append(" requests, ").append(t.answered.sum()).append(" answered, ")
          .append(t.failed.sum()).append(" failed to connect or timed out\n");
    }
    b.append("Per app:");
    for (AppView a : demo.agent().state().apps()) {
      b.append("\n  ").append(pad(a.name(), 16)).append(" pid ").append(a.pid()).append(": ").append(a.count())
          .append(" transactions, ").append(a.errors()).append(" errors");
    }
    return b.toString();
  }

  private static String pad(String s, int n) {
    return s.length() >= n ? s : s + " ".repeat(n - s.length());
  }
}
