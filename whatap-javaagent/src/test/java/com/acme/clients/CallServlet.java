package com.acme.clients;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.eclipse.jetty.client.ContentResponse;

/**
 * {@code /call/<client>/<id>?to=URL}: GETs {@code to} with that client in the request's thread and
 * answers {@code status=N}, or {@code error=Class|message} and, for comparison, what the same call
 * gave on a fresh thread (outside any transaction): {@code untraced=Class|message}.
 * {@code /async/<client>/<id>?to=URL}: the client's asynchronous API; the response is completed
 * from the client's callback, on its thread.
 */
public final class CallServlet extends HttpServlet {
  /** The JDK client's own threads: its async answers are handed to them, as an application's would be. */
  private final java.util.concurrent.ExecutorService jdkThreads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "jdk-client");
    t.setDaemon(true);
    return t;
  });
  private final HttpClient jdk = HttpClient.newBuilder().executor(jdkThreads).build();
  private final CloseableHttpClient apache = HttpClients.createDefault();
  private final CloseableHttpAsyncClient apacheAsync = HttpAsyncClients.createDefault();
  private final OkHttpClient okhttp = new OkHttpClient();
  private final org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();

  @Override
  public void init() {
    apacheAsync.start();
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String client = req.getPathInfo().split("/")[1];
    String to = req.getParameter("to");
    if (req.getServletPath().equals("/async")) {
      callAsync(client, to, req.startAsync());
      return;
    }
    String traced = outcome(client, to);
    StringBuilder body = new StringBuilder(traced);
    if (traced.startsWith("error=")) {
      AtomicReference<String> untraced = new AtomicReference<>();
      Thread plain = new Thread(() -> untraced.set(outcome(client, to)));
      plain.start();
      try {
        plain.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      body.append('\n').append("un").append(untraced.get().replace("error=", "traced="));
    }
    resp.getWriter().write(body.toString());
  }

  private String outcome(String client, String to) {
    try {
      return "status=" + call(client, to);
    } catch (Exception e) {
      return "error=" + e.getClass().getName() + "|" + e.getMessage();
    }
  }

  private int call(String client, String to) throws Exception {
    switch (client) {
      case "jdk":
        return jdk.send(HttpRequest.newBuilder(URI.create(to)).build(), HttpResponse.BodyHandlers.ofString())
            .statusCode();
      case "urlconnection": {
        HttpURLConnection c = (HttpURLConnection) URI.create(to).toURL().openConnection();
        c.connect(); // headers must already be on the request: they are added before connecting
        int status = c.getResponseCode();
        (status < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes();
        return status;
      }
      case "apache":
        return apache.execute(new HttpGet(to), response -> response.getCode());
      case "okhttp":
        try (Response response = okhttp.newCall(new Request.Builder().url(to).build()).execute()) {
          return response.code();
        }
      case "jetty":
        try {
          ContentResponse response = jetty.newRequest(to).send();
          return response.getStatus();
        } catch (ExecutionException e) {
          throw (Exception) e.getCause(); // what failed, as an application would report it
        }
      default:
        throw new IllegalArgumentException(client);
    }
  }

  private void callAsync(String client, String to, AsyncContext async) {
    Thread requestThread = Thread.currentThread();
    Outcome status = new Outcome();
    switch (client) {
      case "jdk":
        jdk.sendAsync(HttpRequest.newBuilder(URI.create(to)).build(), HttpResponse.BodyHandlers.ofString())
            // async on the client's executor: a plain whenComplete runs on this thread when the answer came first
            .whenCompleteAsync((r, e) -> complete(status, r == null ? 0 : r.statusCode(), e), jdkThreads);
        break;
      case "apache": {
        SimpleHttpRequest request = SimpleRequestBuilder.get(to).build();
        apacheAsync.execute(request, new FutureCallback<SimpleHttpResponse>() {
          @Override
          public void completed(SimpleHttpResponse result) {
            status.complete(result.getCode());
          }

          @Override
          public void failed(Exception ex) {
            status.completeExceptionally(ex);
          }

          @Override
          public void cancelled() {
            status.cancel(false);
          }
        });
        break;
      }
      case "okhttp":
        okhttp.newCall(new Request.Builder().url(to).build()).enqueue(new Callback() {
          @Override
          public void onFailure(Call call, IOException e) {
            status.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call call, Response response) {
            try (response) {
              status.complete(response.code());
            }
          }
        });
        break;
      case "jetty":
        jetty.newRequest(to).send(result -> complete(status,
            result.getResponse() == null ? 0 : result.getResponse().getStatus(), result.getFailure()));
        break;
      default:
        status.completeExceptionally(new IllegalArgumentException(client));
    }
    // the client's callback completes the future: the response is written on the client's thread
    status.whenComplete((code, error) -> {
      try {
        String outcome = error != null ? "error=" + error.getClass().getName()
            : "status=" + code + " otherThread=" + (status.completedOn != requestThread);
        async.getResponse().getWriter().write(outcome);
      } catch (IOException e) {
        // the test sees the missing body
      } finally {
        async.complete();
      }
    });
  }

  /** The call's outcome, and the thread the client's callback completed it on. */
  private static final class Outcome extends CompletableFuture<Integer> {
    volatile Thread completedOn;

    @Override
    public boolean complete(Integer value) {
      completedOn = Thread.currentThread();
      return super.complete(value);
    }

    @Override
    public boolean completeExceptionally(Throwable error) {
      completedOn = Thread.currentThread();
      return super.completeExceptionally(error);
    }
  }

  private static void complete(CompletableFuture<Integer> status, int code, Throwable error) {
    if (error != null) {
      status.completeExceptionally(error);
    } else {
      status.complete(code);
    }
  }
}
