package io.whatap.javaagent;

import static io.whatap.javaagent.ItSupport.awaitNamed;
import static org.assertj.core.api.Assertions.assertThat;

import io.whatap.testing.UdpTestReceiver;
import io.whatap.testing.UdpTestReceiver.ReceivedTx;
import io.whatap.wire.TxHttpcPack;
import io.whatap.wire.TxSqlPack;
import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One agent per JVM for an application that registers its own copies of the library-mode adapters
 * ({@code com.acme.own.OwnAdaptersMain}: whatap-vertx's and whatap-undertow's {@code WhatapHandler},
 * {@code WhatapJdbc.wrap}, whatap-httpclient's OkHttp interceptor and Apache handler,
 * {@code Whatap.httpClient}) and runs with {@code -javaagent}: one sender thread, one transaction per
 * request (the javaagent's), every SQL statement and outgoing call recorded once, in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OwnAdaptersJavaagentIT {
  private UdpTestReceiver receiver;
  private Process app;
  private Path home;
  private String vertxUrl;
  private String undertowUrl;

  @BeforeAll
  void start() throws Exception {
    Path work = ItSupport.work("own-adapters");
    home = Files.createDirectories(work.resolve("home"));
    Path classes = ItSupport.copyClasses(work.resolve("classes"), "com/acme/own");
    String classPath = String.join(File.pathSeparator, classes.toString(),
        ItSupport.classPathFrom("javaagent.vertx.classpath"), ItSupport.classPathFrom("javaagent.undertow.classpath"),
        ItSupport.classPathFrom("javaagent.clients.classpath"), ItSupport.classPathFrom("javaagent.jdbc.classpath"),
        ItSupport.classPathFrom("javaagent.whatap-own.classpath"));
    receiver = new UdpTestReceiver();
    List<String> command = new ArrayList<>();
    command.add(ItSupport.javaExecutable());
    command.addAll(ItSupport.agentOptions(receiver, home));
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", classPath, "com.acme.own.OwnAdaptersMain"));
    Path output = work.resolve("own.out");
    app = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    vertxUrl = "http://127.0.0.1:" + ItSupport.awaitLine(output, "VERTX_PORT ", app);
    undertowUrl = "http://127.0.0.1:" + ItSupport.awaitLine(output, "UNDERTOW_PORT ", app);
  }

  @AfterAll
  void stop() throws Exception {
    ItSupport.stop(app);
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void aVertxRequestIsOneTransactionWithItsSqlAndCallsRecordedOnce() throws Exception {
    HttpResponse<String> response = ItSupport.get(vertxUrl + "/v/1");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("v alice callee");
    ReceivedTx tx = awaitNamed(receiver, "/v/:id", 1, home).get(0);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.steps(TxSqlPack.class)).extracting(TxSqlPack::sql)
        .containsExactly("select name from users where id = ?");
    assertThat(tx.steps(TxHttpcPack.class)).as("%s", tx).extracting(TxHttpcPack::driver)
        .containsExactlyInAnyOrder("okhttp", "apache-httpclient5");
    assertThat(awaitNamed(receiver, "/callee", 2, home)).as("the two callees (Undertow), linked")
        .extracting(ReceivedTx::txid)
        .containsExactlyInAnyOrderElementsOf(tx.steps(TxHttpcPack.class).stream().map(TxHttpcPack::stepId).toList());
    assertThat(receiver.completed()).filteredOn(t -> t.uri().startsWith("/v/")).hasSize(1);
  }

  @Test
  void anUndertowRequestIsOneTransactionWithItsSqlAndCallRecordedOnce() throws Exception {
    HttpResponse<String> response = ItSupport.get(undertowUrl + "/u/2");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("u bob callee");
    ReceivedTx tx = awaitNamed(receiver, "/u/{id}", 1, home).get(0);
    assertThat(tx.status()).isEqualTo(200);
    assertThat(tx.steps(TxSqlPack.class)).extracting(TxSqlPack::sql)
        .containsExactly("select name from users where id = ?");
    assertThat(tx.steps(TxHttpcPack.class)).as("%s", tx).hasSize(1).first()
        .satisfies(c -> assertThat(c.url()).endsWith("/callee"));
    assertThat(receiver.completed()).filteredOn(t -> t.uri().startsWith("/u/")).hasSize(1);
  }

  @Test
  void theJvmHasOneSenderAndOneCounterThread() throws Exception {
    assertThat(ItSupport.get(vertxUrl + "/callee").statusCode()).isEqualTo(200);
    String threads = ItSupport.get(vertxUrl + "/threads").body();
    assertThat(threads.split(" ")).as(threads).contains("whatap-sender=1", "whatap-timer=1");
  }
}
