package io.whatap.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Sends a steady mix of requests to the demo apps (on 127.0.0.1 only): mostly fast and SQL-backed
 * pages, some calls that cross to another app, some slow, failing and error-status ones, and now
 * and then one that runs long enough for the agent to fetch its stack. Each worker waits for its
 * answer and pauses 80-320 ms, so the rate stays below {@code workers * 5} per second (2-3 per worker
 * with the slow routes in the mix).
 */
public final class TrafficGenerator implements AutoCloseable {
  /** A route and how often it is picked, relative to the others. */
  record Route(String path, int weight) {
  }

  static final List<Route> MIX = List.of(
      new Route("/hello", 28),
      new Route("/orders/{n}", 24),
      new Route("/checkout", 16),
      new Route("/inventory/{product}", 5),
      new Route("/slow", 8),
      new Route("/fail", 7),
      new Route("/busy", 4),
      new Route("/missing", 4),
      new Route("/stuck", 1));
  private static final int TOTAL_WEIGHT = MIX.stream().mapToInt(Route::weight).sum();

  private final List<String> baseUrls;
  private final int workers;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicInteger stuckInFlight = new AtomicInteger();
  private final List<Thread> threads = new ArrayList<>();
  public final LongAdder sent = new LongAdder();
  public final LongAdder answered = new LongAdder();
  public final LongAdder failed = new LongAdder();

  public TrafficGenerator(List<String> baseUrls, int workers) {
    this.baseUrls = List.copyOf(baseUrls);
    this.workers = workers;
  }

  public void start() {
    running.set(true);
    for (int i = 0; i < workers; i++) {
      Thread t = new Thread(this::work, "demo-traffic-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void work() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    while (running.get()) {
      String path = pick(r);
      boolean stuck = path.equals("/stuck");
      if (stuck && stuckInFlight.incrementAndGet() > 1) {
        stuckInFlight.decrementAndGet();
        path = "/hello"; // one long request at a time is enough to show the active list and its stack
        stuck = false;
      }
      String url = baseUrls.get(r.nextInt(baseUrls.size())) + path;
      try {
        sent.increment();
        client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
        answered.increment();
      } catch (IOException e) {
        failed.increment();
      } catch (InterruptedException e) {
        return;
      } finally {
        if (stuck) {
          stuckInFlight.decrementAndGet();
        }
      }
      try {
        Thread.sleep(r.nextInt(80, 320));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  static String pick(ThreadLocalRandom r) {
    int x = r.nextInt(TOTAL_WEIGHT);
    for (Route route : MIX) {
      x -= route.weight();
      if (x < 0) {
        // the seeded orders are 1-500 and products 1000-1049 (DemoDatabase): now and then one that is not
        return route.path().replace("{n}", String.valueOf(r.nextInt(1, 520)))
            .replace("{product}", String.valueOf(DemoRoutes.FIRST_PRODUCT + r.nextInt(DemoRoutes.PRODUCTS + 2)));
      }
    }
    throw new AssertionError("weights cover the range");
  }

  @Override
  public void close() {
    running.set(false);
    for (Thread t : threads) {
      t.interrupt();
    }
  }
}
