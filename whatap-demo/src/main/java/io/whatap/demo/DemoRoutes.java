package io.whatap.demo;

import io.whatap.Whatap;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * What every demo app serves, whatever its server: the same routes written once, so that each
 * server class only translates its request and response. The routes do what real handlers do that
 * an APM should show: real SQL on the app's embedded H2 database ({@link DemoDatabase}, traced by
 * whatap-jdbc), a slow report, a failing statement, an error status, a real HTTP call to another app
 * ({@link PeerClient}, traced), and a request that runs long enough for the local agent to fetch its
 * stack. None of them records a step by hand except the method steps, which are the manual API
 * ({@link Whatap#profile}) on purpose: there is no library to hook for "a method of my own".
 *
 * <ul>
 *   <li>{@code GET /hello} – fast, one method step (the manual API)</li>
 *   <li>{@code GET /orders/{id}} – a connection and two queries: the order, its lines joined to the products</li>
 *   <li>{@code GET /inventory/{id}} – a product lookup (what /checkout calls on the peer app); 404 when none</li>
 *   <li>{@code GET /checkout} – a product lookup, an HTTP call to the peer app's /inventory/{id},
 *       then an order insert</li>
 *   <li>{@code GET /slow} – a report: a slow aggregate query, then 0.8–2.5 s of "rendering", in a method step</li>
 *   <li>{@code GET /fail} – an UPDATE that a CHECK constraint rejects; the app throws (500)</li>
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

  /** The products /checkout buys and asks the peer about: the seeded ids. */
  static final int FIRST_PRODUCT = 1000;
  static final int PRODUCTS = 50;
  /** How many times the report query reads the order lines: about 0.1–0.2 s of H2 work. */
  private static final int REPORT_PASSES = 60;

  private final String appName;
  private final String peerUrl;
  private final DataSource db;
  private final PeerClient peer;

  /**
   * @param appName the app's name, for its answers
   * @param peerUrl the base URL of the app /checkout calls (e.g. http://127.0.0.1:8081), or null
   * @param db      the app's traced DataSource ({@link DemoDatabase#dataSource()})
   * @param peer    the traced client /checkout calls the peer with
   */
  public DemoRoutes(String appName, String peerUrl, DataSource db, PeerClient peer) {
    this.appName = appName;
    this.peerUrl = peerUrl;
    this.db = db;
    this.peer = peer;
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
      return order(number(path.substring("/orders/".length())));
    }
    if (path.startsWith("/inventory/")) {
      return inventory(number(path.substring("/inventory/".length())));
    }
    switch (path) {
      case "/checkout":
        return checkout();
      case "/slow":
        return Whatap.profile("ReportService.render", this::report);
      case "/fail":
        return pay();
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

  private Reply order(long id) throws SQLException {
    try (Connection c = db.getConnection()) {
      try (PreparedStatement order = c.prepareStatement("SELECT id, customer_id, total FROM orders WHERE id = ?")) {
        order.setLong(1, id);
        try (ResultSet rs = order.executeQuery()) {
          if (!rs.next()) {
            return Reply.json(404, "{\"error\":\"no such order\"}");
          }
        }
      }
      int lines = 0;
      try (PreparedStatement items = c.prepareStatement("SELECT l.line_no, p.name, l.qty, p.price"
          + " FROM order_lines l JOIN products p ON p.id = l.product_id WHERE l.order_id = ? ORDER BY l.line_no")) {
        items.setLong(1, id);
        try (ResultSet rs = items.executeQuery()) {
          while (rs.next()) {
            lines++;
          }
        }
      }
      return Reply.json(200, "{\"order\":" + id + ",\"lines\":" + lines + "}");
    }
  }

  private Reply inventory(long productId) throws SQLException {
    try (Connection c = db.getConnection()) {
      int stock = stockOf(c, productId);
      return stock < 0 ? Reply.json(404, "{\"error\":\"no such product\"}")
          : Reply.json(200, "{\"product\":" + productId + ",\"stock\":" + stock + "}");
    }
  }

  /** The product's stock, or -1 when there is no such product. */
  private static int stockOf(Connection c, long productId) throws SQLException {
    try (PreparedStatement lookup = c.prepareStatement("SELECT name, price, stock FROM products WHERE id = ?")) {
      lookup.setLong(1, productId);
      try (ResultSet rs = lookup.executeQuery()) {
        return rs.next() ? rs.getInt("stock") : -1;
      }
    }
  }

  private Reply checkout() throws SQLException, InterruptedException {
    int productId = FIRST_PRODUCT + ThreadLocalRandom.current().nextInt(PRODUCTS);
    try (Connection c = db.getConnection()) {
      if (stockOf(c, productId) < 0) {
        return Reply.json(404, "{\"error\":\"no such product\"}");
      }
      if (peerUrl != null) {
        int status;
        try {
          status = peer.get(peerUrl + "/inventory/" + productId);
        } catch (IOException e) {
          status = 0; // recorded on the step and as the transaction's error by the traced client
        }
        if (status != 200) {
          return Reply.json(502, "{\"checkout\":\"peer failed\"}");
        }
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO orders (customer_id, total) VALUES (?, ?)")) {
        insert.setInt(1, ThreadLocalRandom.current().nextInt(1, 97));
        insert.setBigDecimal(2, BigDecimal.valueOf(ThreadLocalRandom.current().nextInt(10, 400)));
        insert.executeUpdate();
      }
      return Reply.json(200, "{\"checkout\":\"ok\",\"product\":" + productId + "}");
    }
  }

  /** A slow aggregate over every order line, repeated: the slow SQL step of a slow transaction. */
  private Reply report() throws SQLException, InterruptedException {
    int categories = 0;
    try (Connection c = db.getConnection();
        PreparedStatement q = c.prepareStatement("SELECT p.category, COUNT(*), SUM(l.qty * p.price)"
            + " FROM SYSTEM_RANGE(1, ?) r CROSS JOIN order_lines l JOIN products p ON p.id = l.product_id"
            + " GROUP BY p.category ORDER BY p.category")) {
      q.setInt(1, REPORT_PASSES);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          categories++;
        }
      }
    }
    pause(800, 2500); // rendering the report: no SQL, no I/O to hook, only time
    return Reply.json(200, "{\"report\":\"done\",\"categories\":" + categories + "}");
  }

  /** A payment larger than any balance: the CHECK constraint rejects the UPDATE, the app fails. */
  private Reply pay() throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement debit = c.prepareStatement("UPDATE accounts SET balance = balance - ? WHERE id = ?")) {
      debit.setBigDecimal(1, BigDecimal.valueOf(1000));
      debit.setInt(2, ThreadLocalRandom.current().nextInt(1, 11));
      debit.executeUpdate();
    } catch (SQLException e) {
      if ("23513".equals(e.getSQLState())) { // check constraint violation
        throw new IllegalStateException("payment rejected: insufficient balance (a demo failure)", e);
      }
      throw e;
    }
    return Reply.json(200, "{\"paid\":true}");
  }

  private static void pause(int minMs, int maxMs) throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(minMs, maxMs + 1));
  }

  /** The path's id, or -1 when it is not a number (no such row: an empty lookup, then a 404). */
  private static long number(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch < '0' || ch > '9') {
        return -1;
      }
      n = n * 10 + (ch - '0');
    }
    return n;
  }
}
