package io.whatap.demo;

import io.whatap.Transaction;
import io.whatap.Whatap;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What every demo app serves, whatever its server: the same routes written once against the
 * {@link Whatap} API, so that each server class only translates its request and response. The
 * routes do what real handlers do that an APM should show: SQL (recorded as steps, with the time
 * spent sleeping in place of a database), a slow report, a failure, an error status, a call to
 * another app carrying the multi-transaction headers, and a request that runs long enough for the
 * local agent to fetch its stack.
 *
 * <ul>
 *   <li>{@code GET /hello} – fast, one method step</li>
 *   <li>{@code GET /orders/{id}} – a connection and two SQL steps</li>
 *   <li>{@code GET /inventory/{id}} – one SQL step (what /checkout calls on the peer app)</li>
 *   <li>{@code GET /checkout} – SQL, then an HTTP call to the peer app's /inventory/{id}</li>
 *   <li>{@code GET /slow} – 0.8–2.5 s in a method step</li>
 *   <li>{@code GET /fail} – throws (500)</li>
 *   <li>{@code GET /busy} – answers 503</li>
 *   <li>{@code GET /stuck} – 4–7 s, long enough for a back-channel stack</li>
 *   <li>anything else – 404</li>
 * </ul>
 */
public final class DemoRoutes {
  /** What a route answers; the server writes it. */
  public record Reply(int status, String contentType, String body) {
    static Reply json(int status, String body) {
      return new Reply(status, "application/json", body);
    }
  }

  private final String appName;
  private final String peerUrl;
  private final String dbc;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * @param appName the app's name, for its answers and its fake connection URL
   * @param peerUrl the base URL of the app /checkout calls (e.g. http://127.0.0.1:8081), or null
   */
  public DemoRoutes(String appName, String peerUrl) {
    this.appName = appName;
    this.peerUrl = peerUrl;
    this.dbc = "jdbc:demo://127.0.0.1/" + appName;
  }

  /**
   * Serves one request inside the current transaction. The application's own failures (an
   * exception from /fail) propagate to the server, as they would in a real app.
   */
  public Reply handle(String method, String path) throws Exception {
    if (!"GET".equals(method)) {
      return Reply.json(405, "{\"error\":\"only GET\"}");
    }
    if (path.equals("/hello")) {
      return Whatap.profile("DemoRoutes.greet", () -> Reply.json(200, "{\"hello\":\"" + appName + "\"}"));
    }
    if (path.startsWith("/orders/")) {
      return order(path.substring("/orders/".length()));
    }
    if (path.startsWith("/inventory/")) {
      return inventory(path.substring("/inventory/".length()));
    }
    switch (path) {
      case "/checkout":
        return checkout();
      case "/slow":
        return Whatap.profile("ReportService.render", () -> {
          pause(800, 2500);
          return Reply.json(200, "{\"report\":\"done\"}");
        });
      case "/fail":
        sql("SELECT balance FROM accounts WHERE id = ?", 2, 10, 1);
        throw new IllegalStateException("payment gateway rejected the card (a demo failure)");
      case "/busy":
        return Reply.json(503, "{\"error\":\"try again later\"}");
      case "/stuck":
        return Whatap.profile("BatchExport.waitForLock", () -> {
          pause(4000, 7000);
          return Reply.json(200, "{\"export\":\"finally\"}");
        });
      default:
        return Reply.json(404, "{\"error\":\"no such page\"}");
    }
  }

  private Reply order(String id) throws InterruptedException {
    Transaction tx = Whatap.currentTransaction();
    long start = System.currentTimeMillis();
    pause(1, 4);
    tx.dbConnect(dbc, start, (int) (System.currentTimeMillis() - start));
    sql("SELECT id, customer_id, total FROM orders WHERE id = ?", 3, 25, 1);
    int lines = ThreadLocalRandom.current().nextInt(1, 8);
    sql("SELECT sku, qty, price FROM order_lines WHERE order_id = ?", 2, 30, lines);
    return Reply.json(200, "{\"order\":\"" + safe(id) + "\",\"lines\":" + lines + "}");
  }

  private Reply inventory(String sku) throws InterruptedException {
    sql("SELECT qty FROM stock WHERE sku = ?", 2, 20, 1);
    return Reply.json(200, "{\"sku\":\"" + safe(sku) + "\",\"qty\":" + ThreadLocalRandom.current().nextInt(100)
        + "}");
  }

  private Reply checkout() throws InterruptedException {
    sql("SELECT id, total FROM carts WHERE session_id = ?", 2, 15, 1);
    if (peerUrl == null) {
      return Reply.json(200, "{\"checkout\":\"local only\"}");
    }
    String url = peerUrl + "/inventory/" + (1000 + ThreadLocalRandom.current().nextInt(50));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
    long calleeTxid = Whatap.outgoingHeaders(request::header);
    long start = System.currentTimeMillis();
    long t0 = System.nanoTime();
    int status;
    try {
      status = client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      status = 0;
    }
    int elapsed = (int) ((System.nanoTime() - t0) / 1_000_000);
    // the form with the callee's txid reports it as the step id, linking the two transactions
    Whatap.httpCall(Whatap.currentTransaction(), url, start, elapsed, status, calleeTxid, "java.net.http");
    sql("INSERT INTO orders (cart_id, total) VALUES (?, ?)", 3, 12, 1);
    return Reply.json(status == 200 ? 200 : 502, "{\"checkout\":\"" + (status == 200 ? "ok" : "peer failed") + "\"}");
  }

  private void sql(String statement, int minMs, int maxMs, int rows) throws InterruptedException {
    long start = System.currentTimeMillis();
    pause(minMs, maxMs);
    Whatap.currentTransaction().sql(dbc, statement, start, (int) (System.currentTimeMillis() - start), rows);
  }

  private static void pause(int minMs, int maxMs) throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(minMs, maxMs + 1));
  }

  private static String safe(String s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.length() && i < 40; i++) {
      char c = s.charAt(i);
      if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
        b.append(c);
      }
    }
    return b.toString();
  }
}
