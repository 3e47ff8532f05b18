package io.whatap.agent.export;

import io.whatap.agent.AgentState;
import io.whatap.agent.Frames;
import io.whatap.agent.assembly.TxRecord;
import io.whatap.agent.settings.AgentSettings;
import io.whatap.wire.PackEncoder;
import io.whatap.wire.WireWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Two applications' packs as their agents send them, for the export tests: "orders" (pid 101) serves
 * GET /orders/{id}, runs a SQL query and calls "stock" (pid 202) with x-wtap-* headers; "stock" runs
 * an UPDATE and answers. Completed transactions are collected through the same hook the exporters use.
 */
public final class ExportTraffic {
  public static final int ORDERS_PID = 101;
  public static final int STOCK_PID = 202;
  public static final String SELECT = "SELECT id, total FROM orders WHERE id = ?";
  public static final String UPDATE = "UPDATE stock SET n = n - 1 WHERE id = ?";
  public static final InetSocketAddress FROM = new InetSocketAddress("127.0.0.1", 40000);

  public final List<TxRecord> completed = new ArrayList<>();
  public final AgentState state;

  public ExportTraffic(Map<String, String> options) {
    state = new AgentState(AgentSettings.of(options), System::currentTimeMillis);
    state.onCompleted(completed::add);
  }

  public void send(byte[] datagram) {
    state.accept(datagram, 0, datagram.length, FROM);
  }

  /** The caller's transaction {@code txid}: SQL at +10 ms, the call (assigning {@code calleeTxid}) at +20. */
  public static byte[] orders(long txid, long calleeTxid, long t0, int status, boolean error) {
    return Frames.of(w -> {
      PackEncoder.txStart(w, txid, t0, 0, 0, 0, ORDERS_PID, 1, "shop.local:8080", "/orders/7", "10.1.2.3",
          "curl/8.5", "", "", false, "GET");
      PackEncoder.txSql(w, txid, t0 + 10, 4, 0, 0, ORDERS_PID, 1, "jdbc:h2:mem:orders", SELECT, 1);
      PackEncoder.txHttpc(w, txid, t0 + 20, 30, 0, 0, ORDERS_PID, 1, "http://stock.local:8082/stock/7?n=1",
          calleeTxid, "java.net.http");
      if (error) {
        PackEncoder.txError(w, txid, t0 + 55, 0, 0, 0, ORDERS_PID, 1, "java.lang.IllegalStateException",
            "out of stock", "java.lang.IllegalStateException: out of stock\n\tat shop.Orders.get(Orders.java:9)");
      }
      PackEncoder.txEnd(w, txid, t0 + 60, 0, 3, 0, ORDERS_PID, 1, "shop.local:8080", "/orders/{id}", txid, 0, 0, 0,
          "", "", "", status, false, 0);
    });
  }

  /** The callee's transaction, reached with x-wtap-* headers: its txid is the one the caller assigned. */
  public static byte[] stock(long txid, long callerTxid, long mtid, long t0) {
    return Frames.of(w -> {
      PackEncoder.txStart(w, txid, t0 + 22, 0, 0, 0, STOCK_PID, 1, "stock.local:8082", "/stock/7", "10.1.2.4",
          "Java-http-client/17", "", "", false, "GET");
      PackEncoder.txSql(w, txid, t0 + 25, 5, 0, 0, STOCK_PID, 1, "jdbc:postgresql://db.local/stock", UPDATE, 0);
      PackEncoder.txEnd(w, txid, t0 + 45, 0, 1, 0, STOCK_PID, 1, "stock.local:8082", "/stock/{id}", mtid, 1,
          callerTxid, 0, "orders", "12345", "", 200, false, 0);
    });
  }

  /** A batch job (no HTTP method) with a method step. */
  public static byte[] batchJob(long txid, long t0) {
    return Frames.of(w -> {
      PackEncoder.txStart(w, txid, t0, 0, 0, 0, ORDERS_PID, 2, "", "nightly-report", "", "", "", "", false, "");
      PackEncoder.txMethod(w, txid, t0 + 1, 8, 0, 0, ORDERS_PID, 2, "shop.Report.render()", "");
      PackEncoder.txEnd(w, txid, t0 + 10, 0, 0, 0, ORDERS_PID, 2, "", "nightly-report", 0, 0, 0, 0, "", "", "", 0,
          false, 0);
    });
  }

  public TxRecord byTxid(long txid) {
    return completed.stream().filter(t -> t.txid == txid).findFirst().orElseThrow();
  }
}
