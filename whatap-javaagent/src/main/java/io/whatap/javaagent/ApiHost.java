package io.whatap.javaagent;

import io.whatap.Transaction;
import io.whatap.Whatap;
import io.whatap.javaagent.bootstrap.ApiBridge;
import io.whatap.profiling.MethodProfiler;
import io.whatap.spi.AgentConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * The javaagent's side of {@link ApiBridge}: what an application's own copy of whatap-api records
 * goes to this JVM's one agent (the copy in the agent's class loader), through the same public
 * API the application would call. A transaction handle is the agent's {@link Transaction}; every
 * method here is as failure-proof as the API methods it calls.
 */
public final class ApiHost implements ApiBridge.Host {
  public ApiHost() { }

  @Override public Object current() {
    Transaction tx = Whatap.currentTransaction();
    return tx == Transaction.NOOP ? null : tx;
  }

  @Override public Object start(String name) {
    Transaction tx = Whatap.startTransaction(name);
    return tx == Transaction.NOOP ? null : tx;
  }

  @Override public Object profileEnter(String name) {
    return MethodProfiler.enter(name);
  }

  @Override public Object batchEnter(String job) {
    return MethodProfiler.enterBatch(job);
  }

  @Override public void profileExit(Object scope, Throwable thrown) {
    MethodProfiler.exit(scope, thrown);
  }

  @Override public long txid(Object tx) {
    return ((Transaction) tx).txid();
  }

  @Override public String name(Object tx) {
    return ((Transaction) tx).name();
  }

  @Override public void rename(Object tx, String name) {
    ((Transaction) tx).rename(name);
  }

  @Override public void sql(Object tx, String dbConnection, String sql, long startMillis, int elapsedMs, int fetch) {
    ((Transaction) tx).sql(dbConnection, sql, startMillis, elapsedMs, fetch);
  }

  @Override public void dbConnect(Object tx, String dbConnection, long startMillis, int elapsedMs) {
    ((Transaction) tx).dbConnect(dbConnection, startMillis, elapsedMs);
  }

  @Override public void httpCall(Object tx, String url, long startMillis, int elapsedMs, int status, long calleeTxid,
      String driver) {
    Whatap.httpCall((Transaction) tx, url, startMillis, elapsedMs, status, calleeTxid, driver);
  }

  @Override public void message(Object tx, String title, String value, String description) {
    ((Transaction) tx).message(title, value, description);
  }

  @Override public void method(Object tx, String methodName, long startMillis, int elapsedMs) {
    ((Transaction) tx).method(methodName, startMillis, elapsedMs);
  }

  @Override public void error(Object tx, Throwable error) {
    ((Transaction) tx).error(error);
  }

  @Override public void errorText(Object tx, String errorClass, String message) {
    ((Transaction) tx).error(errorClass, message);
  }

  @Override public void status(Object tx, int status) {
    ((Transaction) tx).status(status);
  }

  @Override public void end(Object tx) {
    ((Transaction) tx).end();
  }

  @Override public void beforeEnd(Object tx, Runnable action) {
    ((Transaction) tx).beforeEnd(action);
  }

  @Override public long outgoingHeaders(BiConsumer<String, String> headers) {
    return Whatap.outgoingHeaders(headers);
  }

  @Override public Runnable wrap(Runnable task) {
    return Whatap.wrap(task);
  }

  @Override public Callable<?> wrap(Callable<?> task) {
    return Whatap.wrap(task);
  }

  @Override public void configure(Map<String, String> options) {
    Whatap.configure(options);
  }

  @Override public Map<String, String> configuration() {
    return AgentConfig.current().raw();
  }
}
