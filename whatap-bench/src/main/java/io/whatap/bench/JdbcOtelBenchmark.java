package io.whatap.bench;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link JdbcBenchmark}'s statement (prepare, bind, execute, read 10 rows on in-memory H2) under
 * OpenTelemetry's Java agent, whose JDBC instrumentation makes a client span per statement, inside a
 * parent span per {@value JdbcBenchmark#STATEMENTS} statements (the transaction's counterpart). Its
 * own fork, with the agent; run beside {@code JdbcBenchmark} in the same JMH run, whose {@code plain}
 * is the baseline without any agent. The agent jar is where {@code mvn -Poverhead package} of this
 * module puts it, relative to the repository root: run JMH from there. Spans are not exported
 * ({@code otel.traces.exporter=none}): what is measured is the instrumentation and the SDK's span
 * handling, not an exporter (ours includes its UDP send).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
    "-javaagent:whatap-bench/target/agents/opentelemetry-javaagent.jar",
    "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
    "-Dotel.javaagent.logging=none"})
public class JdbcOtelBenchmark {

  @State(org.openjdk.jmh.annotations.Scope.Benchmark)
  public static class Db {
    Connection connection;
    Tracer tracer;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      JdbcDataSource ds = new JdbcDataSource();
      ds.setURL("jdbc:h2:mem:bench-otel;DB_CLOSE_DELAY=-1");
      ds.setUser("sa");
      connection = ds.getConnection();
      try (Statement s = connection.createStatement()) {
        s.execute("create table items (id int primary key, name varchar(32))");
        s.execute("insert into items select x, 'item-' || x from system_range(1, 100)");
      }
      tracer = GlobalOpenTelemetry.getTracer("whatap-bench");
      Span probe = tracer.spanBuilder("probe").startSpan();
      // printed in the run's output: a no-op span here means the agent was not there
      System.out.println("otel: parent span valid=" + probe.getSpanContext().isValid());
      probe.end();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  @OperationsPerInvocation(JdbcBenchmark.STATEMENTS)
  public long otelAgent(Db db) throws SQLException {
    Span parent = db.tracer.spanBuilder("/bench/jdbc").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      long sum = 0;
      for (int i = 0; i < JdbcBenchmark.STATEMENTS; i++) {
        try (PreparedStatement p = db.connection.prepareStatement(JdbcBenchmark.SQL)) {
          p.setInt(1, 40 + (i & 7));
          try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
              sum += rs.getInt(1);
            }
          }
        }
      }
      return sum;
    } finally {
      parent.end();
    }
  }
}
